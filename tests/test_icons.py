"""The icons: one small sprite of those the templates name, drawn inline."""

import re

from django.contrib.staticfiles import finders
from django.template import Context, Template

from kampungkb.templatetags.icons import SPRITE
from scripts.icon_sprite import names_used


def sprite_symbols():
    return set(re.findall(r'<symbol [^>]*id="([a-z0-9-]+)"', open(finders.find(SPRITE)).read()))


def test_every_icon_a_template_names_is_in_the_sprite_and_no_other():
    assert len(names_used()) > 20
    assert sprite_symbols() == set(names_used()), "run scripts/icon_sprite.py (see its docstring)"


def test_an_icon_is_drawn_inline_hidden_from_screen_readers():
    html = Template('{% load icons %}{% icon "arrow-left" "text-success" %}').render(Context())
    assert html.startswith(
        '<svg class="bi text-success" viewBox="0 0 16 16" aria-hidden="true" focusable="false">'
        '<path fill-rule="evenodd" d="M15 8a.5.5 0 0 0-.5-.5H2.707'
    )
    assert html.endswith("</svg>") and "<symbol" not in html
