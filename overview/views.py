"""Pages that gather from every app: the dashboard, a village's page, a person's page,
an agency's page, and the personal calendar feed."""

from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from accounts.roles import Role, can_edit, role_of, sees_full_nik, with_role_and_area
from coaching.access import needs_visible_to
from kampungkb.history import history_rows
from training.history import person_related
from training.models import Registration
from villages import share
from villages.access import (
    get_agency_for_user,
    get_person_for_user,
    get_village_page_for_user,
    pokja_visible_to,
    villages_visible_to,
)
from villages.classification import assess
from villages.forms import LevelOverrideForm
from villages.models import PokjaMember

from . import calendar
from .dashboard import programme_figures

#: The activities a village page lists; the rest are on the activity list.
LATEST_ACTIVITIES = 10
#: The latest events a village page lists.
LATEST_TRAININGS = 20


def dashboard(request):
    """Counts for the user's area; a kelurahan officer gets links to their village pages,
    or lands on it where there is one."""
    user = request.user
    villages = villages_visible_to(user)
    if role_of(user) == Role.KELURAHAN and len(own := villages[:2]) == 1:
        return redirect(own[0])
    level_mix = villages.level_counts()
    context = {"village_count": sum(count for _, count in level_mix), "level_mix": level_mix}
    if role_of(user) in (Role.KELURAHAN, Role.NONE):
        context["own_villages"] = villages.select_related("kelurahan")
    else:
        context["figures"] = programme_figures(user, timezone.localdate())
    return render(request, "dashboard.html", context)


def village(request, pk):
    village = get_village_page_for_user(request.user, pk)
    snapshots = list(village.snapshots.order_by("-month"))
    managers = sorted(village.managers.select_related("person"), key=lambda m: m.sort_key)
    pokja = list(
        PokjaMember.objects.filter(pokja__kelurahan=village.kelurahan_id).select_related(
            "person", "agency"
        )
    )
    assessment = assess(village, snapshots[0] if snapshots else None)
    visits = list(village.visits.order_by("-date")[:12])
    activities = list(village.activities.for_list()[: LATEST_ACTIVITIES + 1])
    open_needs = list(village.needs.open().select_related("agency"))
    context = {
        "village": village,
        "managers": managers,
        "pokja_members": [member for member in pokja if member.term_end is None],
        "snapshots": snapshots,
        "assessment": assessment,
        "trend": _trend(snapshots),
        "override_form": LevelOverrideForm(
            initial={"level": village.level_override, "reason": village.override_reason}
        ),
        "history": history_rows(village.history.all()) if can_edit(request.user) else [],
        "trainings": _trainings(village, {person.person_id for person in [*managers, *pokja]}),
        "visits": visits,
        "activities": activities[:LATEST_ACTIVITIES],
        "more_activities": len(activities) > LATEST_ACTIVITIES,
        "open_needs": open_needs,
        "summary": share.village_summary(
            village, assessment, visits[0] if visits else None, open_needs
        ),
    }
    return render(request, "villages/detail.html", context)


def _trend(snapshots):
    ordered = sorted(snapshots, key=lambda s: s.month)
    return {
        "labels": [f"{s.month:%m/%Y}" for s in ordered],
        "datasets": [
            {"label": "CPR", "data": [s.cpr for s in ordered]},
            {"label": _("Pangsa MKJP"), "data": [s.mkjp_share for s in ordered]},
            {"label": "Unmet need", "data": [s.unmet_need for s in ordered]},
        ],
    }


def _trainings(village, people):
    """The latest events the village itself or `people` (the ids of its managers and of
    its kelurahan's Pokja members, past and present) took part in, each with how many
    of them came."""
    registrations = (
        Registration.objects.exclude(status=Registration.Status.CANCELLED)
        .filter(Q(kampung=village) | Q(person__in=people))
        .select_related("event")
    )
    counts = Counter(registration.event for registration in registrations)
    latest = sorted(counts, key=lambda event: event.pk, reverse=True)[:LATEST_TRAININGS]
    return [(event, counts[event]) for event in latest]


def person(request, pk):
    person = get_person_for_user(request.user, pk)
    context = {
        "person": person,
        "manager_roles": person.manager_roles.select_related("kampung"),
        "pokja_seats": person.pokja_seats.select_related(
            "pokja__city", "pokja__district", "pokja__kelurahan", "agency"
        ),
        "trainings": Registration.objects.filter(Q(person=person) | Q(substitute=person))
        .with_days_present()
        .select_related("event", "person", "substitute")
        .order_by("-event_id"),
        "history": history_rows(person.history.all(), *person_related(person)),
        "show_nik": sees_full_nik(request.user),
    }
    return render(request, "villages/person_detail.html", context)


def agency(request, pk):
    agency = get_agency_for_user(request.user, pk)
    needs = list(
        needs_visible_to(request.user).filter(agency=agency).open().select_related("kampung")
    )
    seats = agency.pokja_seats.filter(pokja__in=pokja_visible_to(request.user)).select_related(
        "person", "pokja__city", "pokja__district", "pokja__kelurahan"
    )
    context = {
        "agency": agency,
        "seats": seats,
        "needs": needs,
        "follow_up": share.agency_follow_up(agency, needs),
    }
    return render(request, "villages/agency_detail.html", context)


@login_not_required
@cache_control(private=True, no_store=True)
def calendar_feed(request, token):
    """The personal calendar of whoever holds the token: only what they may see."""
    holders = get_user_model().objects.filter(profile__calendar_token=token, is_active=True)
    user = get_object_or_404(with_role_and_area(holders))
    base_url = request.build_absolute_uri("/").rstrip("/")
    content = calendar.feed(user, base_url, timezone.localdate())
    return HttpResponse(content, content_type="text/calendar; charset=utf-8")
