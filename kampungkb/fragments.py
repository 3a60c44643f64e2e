"""Parts of a page drawn once for everyone who asks the same of the same cities.

A national village list renders fifty rows, a coverage matrix six hundred cells:
the rendering, not the database, is most of such a page. The rendered part is kept
in the shared cache under the version of the cities it draws from (`citycache`), so
that any save in them retires it, and is told apart by the language and the query.

The part is rendered without the request: nothing of the user who asked first (a
CSRF token, their role) can end up in what another user is shown. Users whose area
is narrower than a city (a kecamatan, a kelurahan) have small pages, drawn each time.
"""

from django.template.loader import render_to_string
from django.utils import translation

from . import citycache


def city_fragment(request, template_name, city_ids, context, *, variant=()):
    """`template_name` rendered with `context()`, for the data of `city_ids` alone.

    `context` is only called when the part is not kept already; `city_ids` None
    renders it every time. `variant` adds what the part depends on beyond the cities,
    the language and the query string (today's date, for one).
    """

    def render():
        return render_to_string(template_name, context())

    if city_ids is None:
        return render()
    variant = (translation.get_language(), request.META.get("QUERY_STRING", ""), *variant)
    return citycache.for_cities(f"html:{template_name}", city_ids, render, variant=variant)
