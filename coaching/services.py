"""Coaching workflows: the year's plan, recording visits with their needs,
submission and verification, and the coverage matrix."""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import can_edit
from kampungkb.months import months_from, next_month
from villages.models import KampungKB

from .models import CoachingPlan, CoachingVisit, Need, NeedUpdate

Status = CoachingVisit.Status


def _spread_day(month, index):
    """Visits of one month spread over working days: the 5th, 8th, 11th … (max 26th)."""
    day = datetime.date(month.year, month.month, 5 + (3 * index) % 22)
    while day.weekday() >= 5:  # Saturday or Sunday
        day += datetime.timedelta(days=1)
    return day


@transaction.atomic
def plan_generate(*, districts, first_month, months=12):
    """Plan each active Kampung KB of these kecamatan once a month; safe to run again.

    Returns (created, already planned).
    """
    villages = list(
        KampungKB.objects.active()
        .in_districts(districts)
        .order_by("kelurahan__district__code", "name")
    )
    schedule = months_from(first_month, months)
    existing = set(
        CoachingPlan.objects.filter(kampung__in=villages, month__in=schedule).values_list(
            "kampung_id", "month"
        )
    )
    new = [
        CoachingPlan(kampung=village, month=month, planned_date=_spread_day(month, index))
        for month in schedule
        for index, village in enumerate(villages)
        if (village.pk, month) not in existing
    ]
    CoachingPlan.objects.bulk_create(new)
    return len(new), len(existing)


def visit_initial(village, today):
    """What a new visit of `village` starts with, so that the officer changes only
    what differs: the date its plan gives for this month (else today), and the team
    of its last visit (else the plan's)."""
    plan = (
        CoachingPlan.objects.filter(kampung=village, month=today.replace(day=1), visit__isnull=True)
        .prefetch_related("team")
        .first()
    )
    last_visit = village.visits.order_by("-date", "-id").prefetch_related("team").first()
    team_from = last_visit or plan
    return {
        "date": plan.planned_date if plan else today,
        "team": list(team_from.team.all()) if team_from else [],
    }


@transaction.atomic
def visit_save(*, visit_form, progress_forms, new_need_forms, by):
    """Save a visit with the progress of the village's open needs and any new needs."""
    visit = visit_form.save()
    if visit.plan is None:
        visit.plan = CoachingPlan.objects.filter(
            kampung=visit.kampung, month=visit.date.replace(day=1), visit__isnull=True
        ).first()
        if visit.plan:
            visit.save(update_fields=["plan"])
    for form in progress_forms:
        need_record_progress(need=form.need, visit=visit, by=by, **form.cleaned_data)
    for form in new_need_forms:
        if form.has_changed():
            need = form.save(commit=False)
            need.kampung, need.raised_at = visit.kampung, visit
            need.status = Need.Status.ASSIGNED if need.agency else Need.Status.IDENTIFIED
            need.save()
    return visit


@transaction.atomic
def need_record_progress(*, need, visit, status, note, by):
    """Note a need's progress at a visit; an unchanged status without a note is no news."""
    if status == need.status and not note:
        return None
    update, _created = NeedUpdate.objects.update_or_create(
        need=need,
        visit=visit,
        defaults={"date": visit.date, "status": status, "note": note, "by": by},
    )
    if need.status != status:
        need.status = status
        need._change_reason = note
        need.save(update_fields=["status"])
    return update


def _transition(visit, allowed_from, to, **fields):
    if visit.status not in allowed_from:
        raise ValidationError(
            _("Status kunjungan tidak dapat diubah dari %(status)s.")
            % {"status": visit.get_status_display()}
        )
    visit.status = to
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.version += 1
    visit.save()
    return visit


@transaction.atomic
def visit_submit(*, visit):
    return _transition(visit, {Status.DRAFT}, Status.SUBMITTED)


@transaction.atomic
def visit_verify(*, visit, by):
    """Only dinas staff verify; a verified visit is locked."""
    if not can_edit(by):
        raise PermissionDenied
    return _transition(
        visit, {Status.SUBMITTED}, Status.VERIFIED, verified_by=by, verified_at=timezone.now()
    )


@transaction.atomic
def visit_reopen(*, visit, reason, by):
    if not can_edit(by):
        raise PermissionDenied
    visit._change_reason = reason
    return _transition(
        visit, {Status.VERIFIED, Status.SUBMITTED}, Status.DRAFT, verified_by=None, verified_at=None
    )


# -- coverage matrix ------------------------------------------------------------------


class Cell(StrEnum):
    """What happened to one village in one month, with a letter and a word for it:
    the matrix never relies on colour alone."""

    NONE = "none"
    PLANNED = "planned"
    DONE = "done"
    VERIFIED = "verified"
    MISSED = "missed"

    @property
    def label(self):
        return CELL_LABELS[self]

    @property
    def letter(self):
        return CELL_LETTERS[self]


CELL_LABELS = {
    Cell.NONE: "",
    Cell.PLANNED: gettext_lazy("Rencana"),
    Cell.DONE: gettext_lazy("Dikunjungi"),
    Cell.VERIFIED: gettext_lazy("Terverifikasi"),
    Cell.MISSED: gettext_lazy("Terlewat"),
}
CELL_LETTERS = {
    Cell.NONE: "",
    Cell.PLANNED: "R",
    Cell.DONE: "K",
    Cell.VERIFIED: "V",
    Cell.MISSED: "X",
}


def _cell(month, planned, visit_status, this_month):
    """A verified visit outranks another visit, which outranks a plan; a plan whose
    month has passed without a visit is missed."""
    if visit_status == Status.VERIFIED:
        return Cell.VERIFIED
    if visit_status:
        return Cell.DONE
    if planned:
        return Cell.MISSED if month < this_month else Cell.PLANNED
    return Cell.NONE


@dataclass
class MatrixRow:
    village: object
    cells: list


def coverage_rows(villages, months, today):
    """Each of `villages` with what happened to it in each of `months` (first days)."""
    ids = [village.pk for village in villages]
    planned = set(
        CoachingPlan.objects.filter(kampung__in=ids, month__gte=months[0], month__lte=months[-1])
        .values_list("kampung", "month")
        .order_by()
    )
    visited = {}
    visits = CoachingVisit.objects.filter(
        kampung__in=ids, date__gte=months[0], date__lt=next_month(months[-1])
    )
    for village, date, status in visits.values_list("kampung", "date", "status").order_by():
        key = (village, date.replace(day=1))
        if visited.get(key) != Status.VERIFIED:
            visited[key] = status
    this_month = today.replace(day=1)
    return [
        MatrixRow(
            village,
            [
                _cell(
                    month,
                    (village.pk, month) in planned,
                    visited.get((village.pk, month)),
                    this_month,
                )
                for month in months
            ],
        )
        for village in villages
    ]


def district_totals(districts, months, today):
    """Per kecamatan of `districts`: its name, the visits planned over the months, those
    made and those missed, by name."""
    plans = (
        CoachingPlan.objects.filter(
            kampung__kelurahan__district__in=districts, month__gte=months[0], month__lte=months[-1]
        )
        .values_list("kampung__kelurahan__district__name", "month")
        .annotate(planned=Count("id"), visited=Count("visit"))
        .order_by()
    )
    this_month = today.replace(day=1)
    totals = {}
    for name, month, planned, visited in plans:
        total = totals.setdefault(name, [0, 0, 0])
        total[0] += planned
        total[1] += visited
        if month < this_month:
            total[2] += planned - visited
    return sorted((name, *figures) for name, figures in totals.items())


def matrix_totals(rows, months):
    """For each month, how many cells are in each state."""
    return [
        {
            state: sum(1 for row in rows if row.cells[i] == state)
            for state in (Cell.PLANNED, Cell.DONE, Cell.VERIFIED, Cell.MISSED)
        }
        for i in range(len(months))
    ]


# -- monthly report --------------------------------------------------------------------


@dataclass
class MonthlyReport:
    district: object
    month: datetime.date
    visits: list
    needs_opened: list
    needs_met: list
    planned: int

    @property
    def missed(self):
        return max(self.planned - len({v.kampung_id for v in self.visits}), 0)


def monthly_report(*, district, month):
    after = next_month(month)
    in_district = Q(kampung__kelurahan__district=district)
    visits = list(
        CoachingVisit.objects.filter(in_district, date__gte=month, date__lt=after)
        .select_related("kampung")
        .prefetch_related("agencies_present")
        .order_by("date")
    )
    opened = list(
        Need.objects.filter(
            in_district, raised_at__date__gte=month, raised_at__date__lt=after
        ).select_related("kampung", "agency")
    )
    met = list(
        Need.objects.filter(
            in_district,
            status=Need.Status.MET,
            updates__status=Need.Status.MET,
            updates__date__gte=month,
            updates__date__lt=after,
        )
        .select_related("kampung", "agency")
        .distinct()
    )
    planned = CoachingPlan.objects.filter(in_district, month=month).count()
    return MonthlyReport(district, month, visits, opened, met, planned)


def visit_activity_initial(visit):
    """What a visit already says of the activity record it becomes."""
    return {
        "title": _("Pembinaan %(name)s") % {"name": visit.kampung},
        "date": visit.date,
        "place": visit.kampung.name,
        "description": "\n\n".join(filter(None, [visit.topics, visit.findings])),
        "agencies": list(visit.agencies_present.all()),
    }


@transaction.atomic
def link_visit_activity(visit, activity):
    """Link the village's activity record to the visit it was recorded from: once."""
    visit = CoachingVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.activity_id:
        raise ValidationError(_("Kunjungan ini sudah dicatat sebagai kegiatan."))
    visit.activity = activity
    visit.save(update_fields=["activity"])
