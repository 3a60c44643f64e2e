"""Who may see and change what in the villages app. Views call these first."""

from operator import attrgetter

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.roles import (
    can_edit,
    get_in_area,
    in_area,
    in_cities,
    require_wide_reader,
    role_of,
    visible_districts,
)

from .models import Activity, ActivityPhoto, Agency, KampungKB, Person, Pokja


def require_editor(user):
    """A read-only user trying to change something gets 403."""
    if not can_edit(user):
        raise PermissionDenied


def get_in_scope(queryset, user, pk, *, for_change=False):
    """The row `pk` of a scoped queryset: 404 outside it, 403 to change it read-only.

    Every app's `get_…_for_user` is this with its own scope, but for the villages
    and events, read most, which check a whole-city reader's scope after fetching
    the row (`accounts.roles.get_in_area`).
    """
    obj = get_object_or_404(queryset, pk=pk)
    if for_change:
        require_editor(user)
    return obj


def villages_visible_to(user):
    return in_area(KampungKB.objects.all(), user)


def _village_in_area(villages, user, pk):
    return get_in_area(villages, user, pk, city_of=attrgetter("city_id"), area=in_area)


def get_village_for_user(user, pk, *, for_change=False):
    village = _village_in_area(KampungKB.objects.all(), user, pk)
    if for_change:
        require_editor(user)
    return village


def get_village_page_for_user(user, pk):
    """The village with what its page shows of it (`KampungKBQuerySet.for_page`)."""
    return _village_in_area(KampungKB.objects.for_page(), user, pk)


def _in_village_area(queryset, user, pk, village):
    """The row `pk` of a queryset whose rows belong to a village, `village` the way to it."""
    return get_in_area(
        queryset,
        user,
        pk,
        city_of=attrgetter(f"{village.replace('__', '.')}.city_id"),
        area=lambda rows, user: in_area(
            rows, user, kelurahan=f"{village}__kelurahan", city=f"{village}__city"
        ),
    )


def get_activity_for_user(user, pk, *, for_change=False):
    """An activity, with its village's names: seen and changed as its village is."""
    activities = Activity.objects.select_related("kampung__kelurahan__district", "kampung__city")
    activity = _in_village_area(activities, user, pk, "kampung")
    if for_change:
        require_editor(user)
    return activity


def get_photo_for_user(user, pk):
    photos = ActivityPhoto.objects.select_related("activity__kampung")
    return _in_village_area(photos, user, pk, "activity__kampung")


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
