"""Who may see and change what of the regions, villages and people. Views call these
first; the other apps' access helpers build on `in_area` and `in_cities`.

A dinas officer reads the cities of their profile, a kecamatan viewer their
kecamatan, a kelurahan officer their kelurahan; an admin reads everything.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.roles import Role, can_edit, require_wide_reader, role_of

from .models import (
    Activity,
    ActivityPhoto,
    Agency,
    City,
    District,
    KampungKB,
    Kelurahan,
    Person,
    Pokja,
)


def require_editor(user):
    """A read-only user trying to change something gets 403."""
    if not can_edit(user):
        raise PermissionDenied


def get_in_scope(queryset, user, pk, *, for_change=False):
    """The row `pk` of a queryset already narrowed to the user's scope: 404 outside
    it, 403 to a read-only user who would change it."""
    obj = get_object_or_404(queryset, pk=pk)
    if for_change:
        require_editor(user)
    return obj


def assigned_cities(user):
    """The cities of a dinas officer's profile (their area), by code; a filter takes
    them as a subquery."""
    return City.objects.filter(profiles__user=user).order_by("code")


def visible_cities(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return City.objects.all()
    if role is Role.DINAS:
        return assigned_cities(user)
    return City.objects.none()


def visible_districts(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return District.objects.all()
    if role is Role.DINAS:
        return District.objects.filter(city__in=assigned_cities(user))
    if role is Role.KECAMATAN:
        return District.objects.filter(profiles__user=user)
    return District.objects.none()


def visible_kelurahan(user):
    role = role_of(user)
    if role is Role.ADMIN:
        return Kelurahan.objects.all()
    if role is Role.DINAS:
        return Kelurahan.objects.filter(district__city__in=assigned_cities(user))
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
        return queryset.filter(**{f"{city}__in": assigned_cities(user)})
    return queryset.none()


def in_area(queryset, user, kelurahan="kelurahan"):
    """`queryset` narrowed to the user's area; `kelurahan` leads from its model to
    Kelurahan."""
    role = role_of(user)
    if role.reads_whole_cities:
        return in_cities(queryset, user, city=f"{kelurahan}__district__city")
    if role is Role.KECAMATAN:
        return queryset.filter(**{f"{kelurahan}__district__in": visible_districts(user)})
    if role is Role.KELURAHAN:
        return queryset.filter(**{f"{kelurahan}__in": visible_kelurahan(user)})
    return queryset.none()


def villages_visible_to(user):
    return in_area(KampungKB.objects.all(), user)


def get_village_for_user(user, pk, *, for_change=False):
    """A village with its places (the pages name them)."""
    villages = villages_visible_to(user).select_related("kelurahan__district__city")
    return get_in_scope(villages, user, pk, for_change=for_change)


def get_village_page_for_user(user, pk):
    """A village with what its page shows of it: its places, who set its level, and
    the agencies of its activities (its classification counts them)."""
    villages = villages_visible_to(user).select_related("kelurahan__district__city", "override_by")
    return get_in_scope(villages.with_agency_count(), user, pk)


def get_activity_for_user(user, pk, *, for_change=False):
    """An activity, seen and changed as its village is."""
    activities = in_area(Activity.objects.all(), user, kelurahan="kampung__kelurahan")
    activities = activities.select_related("kampung__kelurahan__district__city")
    return get_in_scope(activities, user, pk, for_change=for_change)


def get_photo_for_user(user, pk):
    photos = in_area(ActivityPhoto.objects.all(), user, kelurahan="activity__kampung__kelurahan")
    return get_in_scope(photos, user, pk)


def persons_visible_to(user):
    """Dinas staff see everyone of their city; other roles reach people via pages."""
    return in_cities(Person.objects.all(), user)


def get_person_for_user(user, pk, *, for_change=False):
    return get_in_scope(persons_visible_to(user), user, pk, for_change=for_change)


def pokja_visible_to(user):
    if role_of(user).reads_whole_cities:
        return in_cities(Pokja.objects.all(), user)
    return Pokja.objects.filter(district__in=visible_districts(user))


def get_pokja_for_user(user, pk, *, for_change=False):
    pokja = pokja_visible_to(user).select_related("city", "district", "kelurahan")  # its name
    return get_in_scope(pokja, user, pk, for_change=for_change)


def get_agency_for_user(user, pk):
    """The agency list is reference data, read by every role above the kelurahan."""
    require_wide_reader(user)
    return get_object_or_404(Agency, pk=pk)
