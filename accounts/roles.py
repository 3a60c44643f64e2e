"""Who a user is in the programme: their role, from their groups, and their profile,
which holds their area. Nothing else looks at groups; each app's access helper starts
here.

The sign-in backend loads the user of each request with their profile and groups
(`with_role_and_area`), so that the many checks of one request read no more rows; a
user loaded otherwise (a command, a test) reads them when first asked. The cities of
a profile stay in the database: filters take them as a subquery (`villages.access`),
so that a user of seventy cities loads none of them to see a page.
"""

from enum import StrEnum

from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    ADMIN = "admin"
    DINAS = "dinas"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    NONE = "none"

    @property
    def label(self):
        return ROLE_LABELS[self]

    @property
    def can_edit(self):
        """Admins and dinas staff change data; every other role only reads."""
        return self in (Role.ADMIN, Role.DINAS)

    @property
    def reads_whole_cities(self):
        """Admins read every city and dinas staff theirs; other roles a part of one."""
        return self in (Role.ADMIN, Role.DINAS)


ROLE_LABELS = {
    Role.ADMIN: _("Administrator"),
    Role.DINAS: _("Staf dinas"),
    Role.KECAMATAN: _("Pemantau kecamatan"),
    Role.KELURAHAN: _("Petugas kelurahan"),
    Role.NONE: _("Tanpa peran"),
}

#: The groups that carry a role, in order of precedence: a user in several takes the first.
GROUP_ROLES = (Role.DINAS, Role.KECAMATAN, Role.KELURAHAN)


def ensure_role_groups(Group):
    """Create the role groups; takes the model so that a data migration can pass its own."""
    for role in GROUP_ROLES:
        Group.objects.get_or_create(name=role.value)


def with_role_and_area(users):
    """`users` with what every page reads of them: their profile and their groups, in
    two queries however often they are read."""
    return users.select_related("profile").prefetch_related("groups")


def role_of(user):
    if not user.is_authenticated or not user.is_active:
        return Role.NONE
    if user.is_superuser:
        return Role.ADMIN
    groups = {group.name for group in user.groups.all()}
    return next((role for role in GROUP_ROLES if role in groups), Role.NONE)


def profile_of(user):
    """The user's profile, or None for a user without one."""
    return getattr(user, "profile", None)


def require_wide_reader(user):
    """Lists and pages beyond one village are for admin, dinas and kecamatan roles;
    to a kelurahan officer they do not exist (404, like anything outside scope)."""
    if role_of(user) in (Role.KELURAHAN, Role.NONE):
        raise Http404


def can_edit(user):
    return role_of(user).can_edit


def sees_full_nik(user):
    return can_edit(user)
