import functools

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kampungkb.choices import label
from kampungkb.links import row_addresses
from villages.models import Level

register = template.Library()


@functools.cache
def _badge(level, language):
    """A level's badge: the same four fill every list, so each is drawn once per language."""
    return format_html('<span class="badge level-{}">{}</span>', level, label(Level, level))


@register.simple_tag
def level_badge(village):
    """The village's level as a coloured badge; a pin (with the reason on hover, and
    in words for screen readers) where dinas set the level by hand."""
    badge = _badge(village.level, get_language())
    if not village.level_override:
        return badge
    return format_html(
        '{} <i class="bi bi-pin-angle" title="{}"></i><span class="visually-hidden">({})</span>',
        badge,
        village.override_reason,
        _("ditetapkan"),
    )


@register.simple_tag
def village_rows(villages):
    """The rows of the village list, drawn in one go (a template loop takes twice as
    long for its 50 rows as the rest of the page). Every text is escaped once, here,
    before it is placed; the badge comes from `level_badge`. Each village's address
    is the first one's with its key in place: one reversal for the page."""
    address = row_addresses("villages:detail")
    html = []
    for village in villages:
        kelurahan = escape(village.kelurahan.name)
        html.append(
            f'<tr><td><a href="{escape(address(village.pk))}">'
            f"{escape(village.name)}</a>"
            f'<div class="small text-body-secondary d-sm-none">{kelurahan}</div></td>'
            f'<td class="d-none d-sm-table-cell">{kelurahan}</td>'
            f'<td class="d-none d-md-table-cell">{escape(village.kelurahan.district.name)}</td>'
            f"<td>{level_badge(village)}</td>"
            f'<td class="d-none d-md-table-cell">{escape(village.get_status_display())}</td></tr>'
        )
    return mark_safe("".join(html))
