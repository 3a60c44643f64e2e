"""Page content drawn once for everyone who asks the same of the same cities.

A national village list renders fifty rows, a coverage matrix six hundred cells:
the rendering, not the database, is most of such a page. The content is kept in
the shared cache under the version of the cities it draws from (`citycache`), so
that any save in them retires it, and is told apart by the language, the query
and whatever else the caller names (the role, the day).

It is rendered without the request: nothing of the user who asked first (a CSRF
token, their name) can end up in what another user is shown. The form token of
whoever asks is put in as the content is served, and so are the parts that draw on
more than the cities (`live`). Lists of users whose area is narrower than a city (a
kecamatan, a kelurahan) are small, and drawn each time.
Kept content is compressed: HTML shrinks about tenfold, which bounds the cache
table (`MAX_ENTRIES` in settings) and makes each read smaller.

Like Django's cached template loader, nothing is kept while developing (`DEBUG`),
so that a changed template shows at once; in production the cache keys carry the
release (`VERSION`), so a new release never shows pages drawn by an older one.
"""

import zlib

from django.conf import settings
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import citycache

#: What `{% csrf_token %}` draws in kept content, for `_fill` to replace with the
#: token of whoever asks. Escaped user content can never contain this markup.
_TOKEN = "kept"
_TOKEN_HOLE = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', _TOKEN)


def _hole(name):
    return mark_safe(f"<!--live:{name}-->")


def city_fragment(request, template_name, city_ids, context, *, variant=(), live=None):
    """`template_name` rendered with `context()`, for the data of `city_ids` alone.

    `context` is only called when the content is not kept already; `city_ids` None
    renders it every time. `variant` adds what the content depends on beyond the
    cities, the language and the query string. Forms in it carry the token of the
    user who asks. `live` names parts drawn afresh for every request, from data
    beyond the cities: {name: function returning HTML}, placed where the template
    says `{{ live.name }}`.
    """
    live = live or {}

    def render():
        holes = {name: _hole(name) for name in live}
        return render_to_string(template_name, {**context(), "csrf_token": _TOKEN, "live": holes})

    if city_ids is None or settings.DEBUG:
        return _fill(render(), request, live)

    def render_packed():
        return zlib.compress(render().encode())

    variant = (translation.get_language(), request.META.get("QUERY_STRING", ""), *variant)
    packed = citycache.for_cities(
        f"zhtml:{template_name}", city_ids, render_packed, variant=variant
    )
    # What was packed is the template's output, escaped as it rendered.
    return _fill(zlib.decompress(packed).decode(), request, live)


def _fill(html, request, live):
    """Kept content with the asking user's form token and its live parts in place."""
    if _TOKEN_HOLE in html:
        html = html.replace(_TOKEN_HOLE, csrf_input(request))
    for name, draw in live.items():
        html = html.replace(_hole(name), draw())
    return mark_safe(html)
