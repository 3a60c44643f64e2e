import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kampungkb.choices import label, labels
from kampungkb.html import text
from kampungkb.links import row_addresses
from villages.models import KampungKB, Level, effective_level

register = template.Library()


@functools.cache
def _badge(level, language):
    """A level's badge: the same four fill every list, so each is drawn once per language."""
    return format_html('<span class="badge level-{}">{}</span>', level, label(Level, level))


def _level_badge(level, override_reason):
    """A level as a coloured badge; a pin (with the reason on hover, and in words for
    screen readers) where dinas set the level by hand, for `override_reason`."""
    badge = _badge(level, get_language())
    if not override_reason:
        return badge
    return format_html(
        '{} <i class="bi bi-pin-angle" title="{}"></i><span class="visually-hidden">({})</span>',
        badge,
        override_reason,
        _("ditetapkan"),
    )


@register.simple_tag
def level_badge(village):
    return _level_badge(village.level, village.level_override and village.override_reason)


@register.simple_tag
def village_rows(villages):
    """The rows of the village list (`KampungKBQuerySet.list_rows`), drawn in one go:
    a template loop takes twice as long for its 50 rows as the rest of the page. Every
    text is escaped once, here, before it is placed. Each village's address is the
    first one's with its key in place: one reversal for the page."""
    address = row_addresses("villages:detail")
    statuses = labels(KampungKB.Status)
    html = []
    for village in villages:
        kelurahan = text(village.kelurahan__name)
        level = effective_level(village.level_override, village.computed_level)
        badge = _level_badge(level, village.level_override and village.override_reason)
        html.append(
            f'<tr><td><a href="{text(address(village.pk))}">{text(village.name)}</a>'
            f'<div class="small text-body-secondary d-sm-none">{kelurahan}</div></td>'
            f'<td class="d-none d-sm-table-cell">{kelurahan}</td>'
            f'<td class="d-none d-md-table-cell">{text(village.kelurahan__district__name)}</td>'
            f"<td>{badge}</td>"
            f'<td class="d-none d-md-table-cell">{text(statuses[village.status])}</td></tr>'
        )
    return mark_safe("".join(html))
