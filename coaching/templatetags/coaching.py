import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from coaching.services import Cell

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
def matrix_cells(row):
    language = get_language()
    return mark_safe("".join(_cell(state, language) for state in row.cells))
