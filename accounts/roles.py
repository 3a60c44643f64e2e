"""Who a user is in the programme, and which regions they may read.

Every app's access helper starts here; nothing else looks at groups. The role comes
from the user's groups and a dinas officer's cities from the profile; both are kept
on the profile as well (`refresh_access`), which comes with the user on each request,
so that knowing them costs a page no query.
"""

from enum import StrEnum
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import signals
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from villages.models import City, District, Kelurahan

from .models import Profile


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
    return _access(user)[0]


def _access(user):
    """The user's role and city ids: as kept on the profile that came with the user
    (`accounts.backends`), else derived from the groups and the profile's cities."""
    if not hasattr(user, "_kkb_access"):
        try:
            kept = user.profile
        except Profile.DoesNotExist:
            kept = None
        if kept and kept.role:
            user._kkb_access = Role(kept.role), kept.city_ids
        else:
            user._kkb_access = derive_access(user)
    return user._kkb_access


def derive_access(user):
    """(role, city ids) from the user's groups and assigned cities."""
    role = role_of_groups(user.groups.values_list("name", flat=True))
    return role, list(City.objects.filter(profiles__user=user).values_list("pk", flat=True))


def role_of_groups(names):
    """The role carried by the first of `GROUP_ROLES` among the group `names`."""
    names = set(names)
    return next((role for role in GROUP_ROLES if role in names), Role.NONE)


@transaction.atomic
def refresh_access(profiles):
    """Derive again the role and cities kept on `profiles`, in the transaction that
    changed the groups or cities they repeat. Each row is locked first, so that two
    changes to one user at once are derived one after the other."""
    for profile in profiles.select_for_update(of=("self",)).select_related("user"):
        profile.role, profile.city_ids = derive_access(profile.user)
        profile.save(update_fields=["role", "city_ids"])


def follow_access_changes():
    """Refresh the access kept on profiles whenever a user's groups or a profile's
    cities change, from either side, and when a role group is renamed or deleted.
    (Changes written straight into the link tables, bypassing the relations, are
    not seen.)"""

    def memberships_changed(instance, action, reverse, pk_set, profiles_of, **kwargs):
        if action == "pre_clear":  # who the members were is gone by post_clear
            instance._kkb_cleared = list(profiles_of(instance, reverse, None))
        elif action in ("post_add", "post_remove"):
            refresh_access(Profile.objects.filter(pk__in=profiles_of(instance, reverse, pk_set)))
        elif action == "post_clear":
            refresh_access(Profile.objects.filter(pk__in=instance._kkb_cleared))

    def of_groups(instance, reverse, pks):  # instance: a user, or a group and user pks
        if not reverse:
            return Profile.objects.filter(user=instance).values_list("pk", flat=True)
        users = {"user__in": pks} if pks is not None else {"user__groups": instance}
        return Profile.objects.filter(**users).values_list("pk", flat=True)

    def of_cities(instance, reverse, pks):  # instance: a profile, or a city and profile pks
        if not reverse:
            return [instance.pk]
        return pks if pks is not None else instance.profiles.values_list("pk", flat=True)

    def profile_saved(instance, created, raw=False, **kwargs):
        if created and not raw:  # the user may have had groups already
            refresh_access(Profile.objects.filter(pk=instance.pk))

    def group_saved(instance, created, raw=False, **kwargs):
        if not created and not raw:
            refresh_access(Profile.objects.filter(user__groups=instance))

    def group_deleting(instance, **kwargs):
        instance.user_set.clear()  # the cascade would bypass the relation

    links = ((get_user_model().groups.through, of_groups), (Profile.cities.through, of_cities))
    for through, profiles_of in links:
        signals.m2m_changed.connect(
            partial(memberships_changed, profiles_of=profiles_of), sender=through, weak=False
        )
    signals.post_save.connect(profile_saved, sender=Profile, weak=False)
    signals.post_save.connect(group_saved, sender=Group, weak=False)
    signals.pre_delete.connect(group_deleting, sender=Group, weak=False)


def require_wide_reader(user):
    """Lists and pages beyond one village are for admin, dinas and kecamatan roles;
    to a kelurahan officer they do not exist (404, like anything outside scope)."""
    if role_of(user) in (Role.KELURAHAN, Role.NONE):
        raise Http404


def can_edit(user):
    return role_of(user).can_edit


def sees_full_nik(user):
    return can_edit(user)


def visible_cities(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return City.objects.all()
    if role is Role.DINAS:
        return City.objects.filter(pk__in=_access(user)[1])
    return City.objects.none()


def whole_cities(user):
    """Ids of the cities whose every village the user sees; None where the area is
    narrower (kecamatan and kelurahan officers). Cached city figures apply to these."""
    role = role_of(user)
    if role is Role.ADMIN:
        return list(City.objects.values_list("pk", flat=True))
    if role is Role.DINAS:
        return list(_access(user)[1])
    return None


def visible_districts(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return District.objects.all()
    if role is Role.DINAS:
        return District.objects.filter(city__in=_access(user)[1])
    if role is Role.KECAMATAN:
        return District.objects.filter(profiles__user=user)
    return District.objects.none()


def visible_kelurahan(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return Kelurahan.objects.all()
    if role is Role.DINAS:
        return Kelurahan.objects.filter(district__city__in=_access(user)[1])
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
        return queryset.filter(**{f"{city}__in": _access(user)[1]})
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
    if role is Role.DINAS and city_of(row) not in _access(user)[1]:
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
