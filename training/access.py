"""Who may see and change training events and their registrations."""

from operator import attrgetter

from django.db.models import Q

from accounts.roles import Role, get_in_area, in_cities, role_of, visible_districts
from villages.access import require_editor

from .models import TrainingEvent


def events_visible_to(user):
    """Dinas staff: their cities' events. Kecamatan viewers: events aimed at their
    kecamatan, and city-wide events of their city. Kelurahan officers: none."""
    role = role_of(user)
    if role.reads_whole_cities:
        return in_cities(TrainingEvent.objects.all(), user)
    if role is Role.KECAMATAN:
        districts = visible_districts(user)
        return TrainingEvent.objects.filter(
            Q(target_districts__in=districts)
            | Q(target_districts__isnull=True, city__districts__in=districts)
        ).distinct()
    return TrainingEvent.objects.none()


def get_event_for_user(user, pk, *, for_change=False):
    event = get_in_area(
        TrainingEvent.objects.all(),
        user,
        pk,
        city_of=attrgetter("city_id"),
        area=lambda events, user: events_visible_to(user),
    )
    if for_change:
        require_editor(user)
    return event
