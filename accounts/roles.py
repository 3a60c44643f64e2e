"""Who a user is in the programme, and which regions they may read.

Every app's access helper starts here; nothing else looks at groups.
"""

from enum import StrEnum

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from villages.models import City, District, Kelurahan


class Role(StrEnum):
    ADMIN = "admin"
    DINAS = "dinas"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    NONE = "none"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: _("Administrator"),
    Role.DINAS: _("Staf dinas"),
    Role.KECAMATAN: _("Pemantau kecamatan"),
    Role.KELURAHAN: _("Petugas kelurahan"),
    Role.NONE: _("Tanpa peran"),
}

#: The groups that carry a role, in order of precedence.
GROUP_ROLES = (Role.DINAS, Role.KECAMATAN, Role.KELURAHAN)


def ensure_role_groups(Group):
    """Create the role groups; takes the model so that a data migration can pass its own."""
    for role in GROUP_ROLES:
        Group.objects.get_or_create(name=role.value)


def role_of(user):
    if not user.is_authenticated or not user.is_active:
        return Role.NONE
    if user.is_superuser:
        return Role.ADMIN
    if not hasattr(user, "_kkb_role"):
        names = set(user.groups.values_list("name", flat=True))
        user._kkb_role = next((role for role in GROUP_ROLES if role in names), Role.NONE)
    return user._kkb_role


def require_wide_reader(user):
    """Lists and pages beyond one village are for admin, dinas and kecamatan roles;
    to a kelurahan officer they do not exist (404, like anything outside scope)."""
    if role_of(user) in (Role.KELURAHAN, Role.NONE):
        raise Http404


def can_edit(user):
    """Admins and dinas staff change data; every other role only reads."""
    return role_of(user) in (Role.ADMIN, Role.DINAS)


def sees_full_nik(user):
    return can_edit(user)


def visible_cities(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return City.objects.all()
    if role is Role.DINAS:
        return City.objects.filter(profiles__user=user)
    return City.objects.none()


def whole_cities(user):
    """Ids of the cities whose every village the user sees; None where the area is
    narrower (kecamatan and kelurahan officers). Cached city figures apply to these."""
    if role_of(user) in (Role.ADMIN, Role.DINAS):
        return list(visible_cities(user).values_list("pk", flat=True))
    return None


def visible_districts(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return District.objects.all()
    if role is Role.DINAS:
        return District.objects.filter(city__profiles__user=user)
    if role is Role.KECAMATAN:
        return District.objects.filter(profiles__user=user)
    return District.objects.none()


def visible_kelurahan(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return Kelurahan.objects.all()
    if role is Role.DINAS:
        return Kelurahan.objects.filter(district__city__profiles__user=user)
    if role is Role.KECAMATAN:
        return Kelurahan.objects.filter(district__profiles__user=user)
    if role is Role.KELURAHAN:
        return Kelurahan.objects.filter(profiles__user=user)
    return Kelurahan.objects.none()


def in_area(queryset, user, kelurahan="kelurahan"):
    """`queryset` narrowed to the user's area; `kelurahan` leads from its model to
    Kelurahan. The filter stays at the role's own level (a city for dinas, a
    kecamatan for its viewer), which keeps the joins, and the planning, short."""
    role = role_of(user)
    if role is Role.ADMIN:
        return queryset
    if role is Role.DINAS:
        return queryset.filter(**{f"{kelurahan}__district__city__in": visible_cities(user)})
    if role is Role.KECAMATAN:
        return queryset.filter(**{f"{kelurahan}__district__in": visible_districts(user)})
    if role is Role.KELURAHAN:
        return queryset.filter(**{f"{kelurahan}__in": visible_kelurahan(user)})
    return queryset.none()
