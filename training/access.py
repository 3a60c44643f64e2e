"""Who may see and change training events and their registrations."""

from django.db.models import Q

from accounts.roles import Role, role_of
from villages.access import get_in_scope, in_cities, visible_districts

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
    events = events_visible_to(user).select_related("organiser", "city")
    return get_in_scope(events, user, pk, for_change=for_change)
