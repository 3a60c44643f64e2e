"""Page content drawn once for everyone who asks the same of the same cities.

A national village list renders fifty rows, a coverage matrix six hundred cells:
the rendering, not the database, is most of such a page. The content is kept in
the shared cache under the version of the cities it draws from (`citycache`), so
that any save in them retires it, and is told apart by the language, the query
and whatever else the caller names (the role, the day).

It is rendered without the request: nothing of the user who asked first (a CSRF
token, their name) can end up in what another user is shown. Users whose area is
narrower than a city (a kecamatan, a kelurahan) have small pages, drawn each time.
Kept content is compressed: HTML shrinks about tenfold, which bounds the cache
table (`MAX_ENTRIES` in settings) and makes each read smaller.

Like Django's cached template loader, nothing is kept while developing (`DEBUG`),
so that a changed template shows at once; in production the cache keys carry the
release (`VERSION`), so a new release never shows pages drawn by an older one.
"""

import zlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from . import citycache


def city_fragment(request, template_name, city_ids, context, *, variant=()):
    """`template_name` rendered with `context()`, for the data of `city_ids` alone.

    `context` is only called when the content is not kept already; `city_ids` None
    renders it every time. `variant` adds what the content depends on beyond the
    cities, the language and the query string.
    """
    if city_ids is None or settings.DEBUG:
        return render_to_string(template_name, context())

    def render_packed():
        return zlib.compress(render_to_string(template_name, context()).encode())

    variant = (translation.get_language(), request.META.get("QUERY_STRING", ""), *variant)
    packed = citycache.for_cities(
        f"zhtml:{template_name}", city_ids, render_packed, variant=variant
    )
    # What was packed is the template's output, escaped as it rendered.
    return mark_safe(zlib.decompress(packed).decode())
