"""Who a user is in the programme, and which regions they may read.

Every app's access helper starts here; nothing else looks at groups. The role (from
the user's groups) and a dinas officer's cities (from the profile's assigned cities)
are read in the query that loads the signed-in user (`user_with_role`, used by
`accounts.backends`): both from where an administrator sets them, so a change shows
on the user's next request.
"""

import json
from enum import StrEnum
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
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

#: The groups that carry a role, in order of precedence, which is also the order of
#: their names: a user in several takes the first by name (`with_role`).
GROUP_ROLES = (Role.DINAS, Role.KECAMATAN, Role.KELURAHAN)


def ensure_role_groups(Group):
    """Create the role groups; takes the model so that a data migration can pass its own."""
    for role in GROUP_ROLES:
        Group.objects.get_or_create(name=role.value)


#: The first role group of the user whose row the outer query reads, by name (the
#: order of `GROUP_ROLES`). Written as SQL rather than as a `Subquery`: every signed-in
#: request loads its user with it, and the ORM took 0.4 ms a request to compile the
#: same subquery, half of loading the user (docs/performance.md). The tables are
#: Django's own, named alike on every database.
FIRST_ROLE_GROUP = (
    "SELECT g.name FROM auth_group g INNER JOIN auth_user_groups ug ON ug.group_id = g.id"
    " WHERE ug.user_id = auth_user.id AND g.name IN ({}) ORDER BY g.name LIMIT 1"
).format(", ".join(["%s"] * len(GROUP_ROLES)))


#: The cities assigned to that user (a dinas officer's area), as a JSON list of
#: [id, code, name]: pages check their rows against them, and filters name them,
#: without a query of their own. Each database builds JSON with functions of its own.
CITIES = {
    vendor: f"SELECT {rows} FROM villages_city c"
    " INNER JOIN accounts_profile_cities pc ON pc.city_id = c.id"
    " INNER JOIN accounts_profile p ON p.id = pc.profile_id WHERE p.user_id = auth_user.id"
    for vendor, rows in [
        ("postgresql", "json_agg(json_build_array(c.id, c.code, c.name))::text"),
        ("sqlite", "json_group_array(json_array(c.id, c.code, c.name))"),
    ]
}


#: The names of the role groups, the parameters of `FIRST_ROLE_GROUP`.
ROLE_GROUP_NAMES = [role.value for role in GROUP_ROLES]


def with_role(users):
    """`users` (a query of users at its top level) annotated with `group_role`, the
    name of the first of `GROUP_ROLES` among their groups or None, and `city_rows`."""
    return users.annotate(
        group_role=RawSQL(FIRST_ROLE_GROUP, ROLE_GROUP_NAMES),
        city_rows=RawSQL(CITIES[connection.vendor], ()),
    )


#: `with_role` of one user, written out: every signed-in request loads its user with
#: it, and the ORM took 0.24 ms to build the query (docs/performance.md).
USER_WITH_ROLE = {
    vendor: f"SELECT auth_user.*, ({FIRST_ROLE_GROUP}) AS group_role, ({cities}) AS city_rows"
    " FROM auth_user WHERE auth_user.id = %s"
    for vendor, cities in CITIES.items()
}


def user_with_role(pk):
    """The user `pk` as `with_role` reads them, or None."""
    users = get_user_model()._default_manager.raw(
        USER_WITH_ROLE[connection.vendor], [*ROLE_GROUP_NAMES, pk]
    )
    return next(iter(users), None)


def _read_with_role(user):
    """`user` with `group_role` and `city_rows` as the sign-in backend reads them: a
    user loaded otherwise (in a command, a shell, a test) reads both once, by
    `user_with_role`, so that there is one way to read them."""
    if not hasattr(user, "group_role"):
        loaded = user_with_role(user.pk)
        user.group_role = getattr(loaded, "group_role", None)
        user.city_rows = getattr(loaded, "city_rows", None)
    return user


def role_of(user):
    if not user.is_authenticated or not user.is_active:
        return Role.NONE
    if user.is_superuser:
        return Role.ADMIN
    return Role(_read_with_role(user).group_role or Role.NONE)


def _city_rows(user):
    """(id, code, name) of a dinas officer's cities, by code, parsed once per request
    (a request loads its user afresh)."""
    if not hasattr(user, "_kkb_city_rows"):
        rows = json.loads(_read_with_role(user).city_rows or "[]")
        user._kkb_city_rows = sorted(map(tuple, rows), key=itemgetter(1))
    return user._kkb_city_rows


def _cities(user):
    """The cities as models, for a filter that names them."""
    fields = ["id", "code", "name"]
    return [City.from_db(user._state.db, fields, row) for row in _city_rows(user)]


def _city_ids(user):
    """Their keys alone, which is all a page needs that only checks its rows against
    them."""
    return [pk for pk, _code, _name in _city_rows(user)]


def require_wide_reader(user):
    """Lists and pages beyond one village are for admin, dinas and kecamatan roles;
    to a kelurahan officer they do not exist (404, like anything outside scope)."""
    if role_of(user) in (Role.KELURAHAN, Role.NONE):
        raise Http404


def can_edit(user):
    return role_of(user).can_edit


def sees_full_nik(user):
    return can_edit(user)


def cities_to_choose(user):
    """The cities a user picks among in a filter, as a list: for a dinas officer, the
    rows already read to know their area."""
    role = role_of(user)
    if role is Role.DINAS:
        return _cities(user)
    return list(visible_cities(user))


def visible_cities(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return City.objects.all()
    if role is Role.DINAS:
        return City.objects.filter(pk__in=_city_ids(user))
    return City.objects.none()


def whole_cities(user):
    """Ids of the cities whose every village the user sees; None where the area is
    narrower (kecamatan and kelurahan officers). Cached city figures apply to these."""
    role = role_of(user)
    if role is Role.ADMIN:
        return list(City.objects.values_list("pk", flat=True))
    if role is Role.DINAS:
        return list(_city_ids(user))
    return None


def visible_districts(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return District.objects.all()
    if role is Role.DINAS:
        return District.objects.filter(city__in=_city_ids(user))
    if role is Role.KECAMATAN:
        return District.objects.filter(profiles__user=user)
    return District.objects.none()


def visible_kelurahan(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return Kelurahan.objects.all()
    if role is Role.DINAS:
        return Kelurahan.objects.filter(district__city__in=_city_ids(user))
    if role is Role.KECAMATAN:
        return Kelurahan.objects.filter(district__profiles__user=user)
    if role is Role.KELURAHAN:
        return Kelurahan.objects.filter(profiles__user=user)
    return Kelurahan.objects.none()


def in_cities(queryset, user, city="city"):
    """`queryset` narrowed to the user's whole cities (all of them for an admin),
    empty for the roles whose area is narrower; `city` leads from its model to City."""
    role = role_of(user)
    if role is Role.ADMIN:
        return queryset
    if role is Role.DINAS:
        return queryset.filter(**{f"{city}__in": _city_ids(user)})
    return queryset.none()


def get_in_area(queryset, user, pk, *, city_of, area):
    """The row `pk` of `queryset` if it lies in the user's area, else 404.

    Admins and dinas officers read whole cities: the row is fetched by its key alone
    and its city, `city_of(row)`, checked against theirs, which costs less than a
    query filtered by many cities. Other roles fetch it from `area(queryset, user)`.
    """
    role = role_of(user)
    if not role.reads_whole_cities:
        return get_object_or_404(area(queryset, user), pk=pk)
    row = get_object_or_404(queryset, pk=pk)
    if role is Role.DINAS and city_of(row) not in _city_ids(user):
        raise Http404
    return row


def in_area(queryset, user, kelurahan="kelurahan", city="city"):
    """`queryset` narrowed to the user's area; `kelurahan` and `city` lead from its
    model to Kelurahan and City (a village carries both). The filter stays at the
    role's own level (a city for dinas, a kecamatan for its viewer), which keeps the
    joins, and the planning, short."""
    role = role_of(user)
    if role.reads_whole_cities:
        return in_cities(queryset, user, city)
    if role is Role.KECAMATAN:
        return queryset.filter(**{f"{kelurahan}__district__in": visible_districts(user)})
    if role is Role.KELURAHAN:
        return queryset.filter(**{f"{kelurahan}__in": visible_kelurahan(user)})
    return queryset.none()
