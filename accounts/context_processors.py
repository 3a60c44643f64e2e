from django.conf import settings

from .roles import can_edit, role_of

#: The menu item of a page, by the first prefix its view's name starts with.
NAV_SECTIONS = [
    ("people", ("villages:person", "overview:person")),
    ("pokja", ("villages:pokja",)),
    ("agencies", ("villages:agency", "overview:agency")),
    ("villages", ("villages:", "overview:village")),
    ("trainings", ("training:",)),
    ("coaching", ("coaching:",)),
    ("dashboard", ("overview:dashboard",)),
]


def nav_section(request):
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    return next(
        (section for section, prefixes in NAV_SECTIONS if view_name.startswith(prefixes)), ""
    )


def app(request):
    """What every page needs to draw its layout: the version, the user's role and the
    menu item of the page."""
    return {
        "app_version": settings.VERSION,
        "user_role": role_of(request.user),
        "user_can_edit": can_edit(request.user),
        "nav_section": nav_section(request),
    }
