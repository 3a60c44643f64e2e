import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.roles import can_edit, role_of

#: The addresses the layout links to on every page, by the name the templates use.
LAYOUT_LINKS = {
    "dashboard": "dashboard",
    "villages": "villages:list",
    "trainings": "training:list",
    "coaching": "coaching:matrix",
    "people": "villages:person_list",
    "pokja": "villages:pokja_list",
    "agencies": "villages:agency_list",
    "password_change": "accounts:password_change",
    "calendar": "accounts:calendar",
    "admin": "admin:index",
    "logout": "accounts:logout",
    "language": "set_language",
}


@functools.cache
def _layout_links(script_prefix, urlconf):
    """The layout's addresses, reversed once per process: they are the code's, and
    differ only by the prefix the app is served under (reversing them on every page
    took a third of drawing the layout)."""
    return {name: reverse(viewname) for name, viewname in LAYOUT_LINKS.items()}


def app(request):
    """What every page needs to draw its layout: the version, the user's role and the
    addresses of the menu."""
    return {
        "app_version": settings.VERSION,
        "user_role": role_of(request.user),
        "user_can_edit": can_edit(request.user),
        "links": _layout_links(get_script_prefix(), get_urlconf()),
    }
