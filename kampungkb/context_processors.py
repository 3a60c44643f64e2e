from django.conf import settings

from accounts.roles import can_edit, role_of


def app(request):
    """What every page needs to draw its navigation: the version and the user's role."""
    return {
        "app_version": settings.VERSION,
        "user_role": role_of(request.user),
        "user_can_edit": can_edit(request.user),
    }
