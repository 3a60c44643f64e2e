from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def level_badge(village):
    """The village's level as a coloured badge; a pin (with the reason on hover, and
    in words for screen readers) where dinas set the level by hand."""
    badge = format_html(
        '<span class="badge level-{}">{}</span>', village.level, village.get_level_display()
    )
    if not village.level_override:
        return badge
    return format_html(
        '{} <i class="bi bi-pin-angle" title="{}"></i><span class="visually-hidden">({})</span>',
        badge,
        village.override_reason,
        _("ditetapkan"),
    )
