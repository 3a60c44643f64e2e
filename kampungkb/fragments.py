"""Page content drawn once for everyone who asks the same of the same cities.

A national village list renders fifty rows, a coverage matrix six hundred cells:
the rendering, not the database, is most of such a page. The content is kept in
the shared cache under the version of the cities it draws from (`citycache`), so
that any save in them retires it, and is told apart by the language, the query
and whatever else the caller names (the role, the day).

It is rendered without the request: nothing of the user who asked first (a CSRF
token, their name) can end up in what another user is shown; the form token of
whoever asks is put in as the content is served. Lists of users whose area is
narrower than a city (a kecamatan, a kelurahan) are small, and drawn each time.
Kept content is compressed: HTML shrinks about tenfold, which bounds the cache
table (`MAX_ENTRIES` in settings) and makes each read smaller. It is kept as ASCII,
any other character written as a character reference (`&#8212;` for an em dash),
which HTML reads as the character itself everywhere but inside scripts and styles:
the only script kept content holds is `json_script` data, which JSON already
escapes to ASCII. Python decodes, joins and encodes an ASCII page as plain bytes:
decoding and encoding a 148 kB attendance grid took 0.93 ms with its dashes and
0.03 ms without, on the benchmark's machine.

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

#: What `{% csrf_token %}` draws in kept content, for `_with_token` to replace with
#: the token of whoever asks. Escaped user content can never contain this markup.
_TOKEN = "kept"
_TOKEN_HOLE = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', _TOKEN)


def city_fragment(request, template_name, city_ids, context, *, variant=()):
    """`template_name` rendered with `context()`, for the data of `city_ids` alone.

    `context` is only called when the content is not kept already; `city_ids` None
    renders it every time. `variant` adds what the content depends on beyond the
    cities, the language and the query string. Forms in it carry the token of the
    user who asks.
    """

    def render():
        return render_to_string(template_name, {**context(), "csrf_token": _TOKEN})

    if city_ids is None or settings.DEBUG:
        return _with_token(render(), request)

    def render_packed():
        return zlib.compress(render().encode("ascii", "xmlcharrefreplace"))

    variant = (translation.get_language(), request.META.get("QUERY_STRING", ""), *variant)
    packed = citycache.for_cities(
        f"zhtml:{template_name}", city_ids, render_packed, variant=variant
    )
    # What was packed is the template's output, escaped as it rendered.
    return _with_token(zlib.decompress(packed).decode(), request)


def _with_token(html, request):
    """Content whose forms carry the form token of the user who asks."""
    if _TOKEN_HOLE in html:
        html = html.replace(_TOKEN_HOLE, csrf_input(request))
    return mark_safe(html)
