"""`{% icon "arrow-left" %}`: a Bootstrap Icon drawn inline, in the colour and size
of the text around it: no font and no request of its own, which a phone on a slow
connection feels. The icons come from static/vendor/bootstrap-icons/icons.svg, which
holds only those the templates name; `python scripts/icon_sprite.py` makes it again
after one is added (tests/test_icons.py says when)."""

import re
from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

SPRITE = "vendor/bootstrap-icons/icons.svg"
SYMBOL = re.compile(r'<symbol viewBox="([^"]+)" id="([a-z0-9-]+)">(.*?)</symbol>', re.DOTALL)


@cache
def icons():
    """{name: (viewBox, the SVG drawing)} of every icon in the sprite."""
    with open(finders.find(SPRITE)) as sprite:
        return {name: (box, drawing) for box, name, drawing in SYMBOL.findall(sprite.read())}


@register.simple_tag
def icon(name, css_class=""):
    box, drawing = icons()[name]
    return format_html(
        '<svg class="{}" viewBox="{}" aria-hidden="true" focusable="false">{}</svg>',
        f"bi {css_class}".strip(),
        box,
        mark_safe(drawing),  # the vendored sprite's own markup
    )
