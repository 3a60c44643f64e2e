import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from coaching.services import Cell
from kampungkb.html import text
from kampungkb.links import row_addresses

register = template.Library()


@functools.cache
def _cell(state, language):
    """A matrix cell: a letter to the eye, a word to screen readers and on hover.
    The same five cells fill every matrix, so each is written once per language."""
    label = Cell.LABELS[state]
    if not label:
        return mark_safe(f'<td class="{state}"></td>')
    return format_html(
        '<td class="{}" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></td>',
        state,
        label,
        Cell.LETTERS[state],
        label,
    )


@register.simple_tag
def matrix_rows(rows):
    """The rows of the coverage matrix, villages (`pk`, `name` and the kecamatan's
    name) by their twelve months, drawn in one go: a template loop took longer for
    50 rows than the rest of the page. Every text is escaped once, here, before it is
    placed; each village's address is the first one's with its key in place."""
    address = row_addresses("villages:detail")
    language = get_language()
    html = []
    for row in rows:
        village = row.village
        html.append(
            f'<tr><th scope="row" class="text-start fw-normal">'
            f'<a href="{text(address(village.pk))}">{text(village.name)}</a>'
            f'<div class="small text-body-secondary">'
            f"{text(village.kelurahan__district__name)}</div></th>"
        )
        html.extend(_cell(state, language) for state in row.cells)
        html.append("</tr>")
    return mark_safe("".join(html))
