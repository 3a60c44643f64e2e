"""Coaching workflows: the year's plan, recording visits with their needs,
submission and verification, and the coverage matrix."""

import datetime
import functools
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import can_edit
from kampungkb import citycache
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


@transaction.atomic
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


class Cell:
    """What happened to one village in one month, with a letter and a word for it:
    the matrix never relies on colour alone."""

    NONE, PLANNED, DONE, VERIFIED, MISSED = "none", "planned", "done", "verified", "missed"
    LABELS = {
        NONE: "",
        PLANNED: gettext_lazy("Rencana"),
        DONE: gettext_lazy("Dikunjungi"),
        VERIFIED: gettext_lazy("Terverifikasi"),
        MISSED: gettext_lazy("Terlewat"),
    }
    LETTERS = {NONE: "", PLANNED: "R", DONE: "K", VERIFIED: "V", MISSED: "X"}


class Month:
    """What a village's month holds in the coverage figures, as one letter: a verified
    visit, another visit, a plan not visited (yet), nothing. Which `Cell` a plan not
    visited shows depends on the day the matrix is read."""

    VERIFIED, VISITED, PLANNED, NOTHING = "V", "K", "R", "."

    @classmethod
    def letter(cls, planned, visit_status):
        if visit_status == Status.VERIFIED:
            return cls.VERIFIED
        if visit_status:
            return cls.VISITED
        return cls.PLANNED if planned else cls.NOTHING


def _coverage(city_ids, first_month):
    """{city id: coverage} over the twelve months from `first_month`, a city figure: the
    months of each village with a plan or a visit in them (`villages`: {id: twelve
    letters}), the plans of each kecamatan and how many of them were visited, by
    month (`districts`: {id: ([plans], [plans visited])}), and how many villages are
    active (`active`: the rows of the city's matrix)."""
    months = months_from(first_month)
    index = {month: i for i, month in enumerate(months)}
    figures = {city: {"villages": {}, "districts": {}, "active": 0} for city in city_ids}
    active = KampungKB.objects.filter(city__in=city_ids).active().values_list("city")
    for city, count in active.annotate(count=Count("pk")).order_by():
        figures[city]["active"] = count
    planned, visited = set(), {}
    plans = CoachingPlan.objects.filter(
        kampung__city__in=city_ids, month__gte=months[0], month__lte=months[-1]
    ).values_list("kampung__city", "kampung", "kampung__kelurahan__district", "month", "visit")
    for city, village, district, month, visit in plans.order_by():
        planned.add((city, village, month))
        counts = figures[city]["districts"].setdefault(district, ([0] * 12, [0] * 12))
        counts[0][index[month]] += 1
        counts[1][index[month]] += visit is not None
    visits = CoachingVisit.objects.filter(
        kampung__city__in=city_ids, date__gte=months[0], date__lt=next_month(months[-1])
    ).values_list("kampung__city", "kampung", "date", "status")
    for city, village, date, status in visits.order_by():
        key = (city, village, date.replace(day=1))
        if visited.get(key) != Status.VERIFIED:  # a verified visit outranks a draft one
            visited[key] = status
    for city, village in {(city, village) for city, village, _month in [*planned, *visited]}:
        figures[city]["villages"][village] = "".join(
            Month.letter((city, village, m) in planned, visited.get((city, village, m)))
            for m in months
        )
    return figures


@dataclass
class MatrixRow:
    village: object  # a row of the matrix's villages, or a KampungKB
    cells: list = field(default_factory=list)


class Coverage:
    """The coaching coverage of some cities over twelve months, as the matrix shows it:
    read from each city's figure (kept by kampungkb/citycache.py until a plan, a visit,
    a village or a kelurahan of the city is written), all in one query.

    A month that had a plan, has passed and saw no visit is missed.
    """

    def __init__(self, city_ids, months, today=None):
        self.months = months
        self.this_month = (today or timezone.localdate()).replace(day=1)
        self.figures = citycache.per_city(
            "coverage",
            list(city_ids),
            functools.partial(_coverage, first_month=months[0]),
            variant=f"{months[0]:%Y-%m}",
        )

    SETTLED = {Month.VERIFIED: Cell.VERIFIED, Month.VISITED: Cell.DONE, Month.NOTHING: Cell.NONE}

    def _state(self, letter, month):
        if letter == Month.PLANNED:
            return Cell.MISSED if month < self.this_month else Cell.PLANNED
        return self.SETTLED[letter]

    def row(self, village):
        """`village` (with `pk` and `city_id`) with its state in each month."""
        letters = self.figures[village.city_id]["villages"].get(village.pk, Month.NOTHING * 12)
        return MatrixRow(village, list(map(self._state, letters, self.months)))

    def active_villages(self):
        """How many active villages the cities have: the rows of their whole matrix."""
        return sum(figure["active"] for figure in self.figures.values())

    def district_totals(self, districts):
        """Per kecamatan of `districts` ({id: name}, all in these cities): its name,
        the plans over the months, those visited and those missed, by name."""
        counts = {}
        for figure in self.figures.values():
            counts.update(figure["districts"])
        totals = []
        for district, name in districts.items():
            plans, visited = counts.get(district, ([0] * 12, [0] * 12))
            missed = sum(
                planned - seen
                for month, planned, seen in zip(self.months, plans, visited, strict=True)
                if month < self.this_month
            )
            if sum(plans):
                totals.append((name, sum(plans), sum(visited), missed))
        return sorted(totals)


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


def link_visit_activity(visit, activity):
    """Link the village's activity record to the visit it was recorded from: once."""
    visit = CoachingVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.activity_id:
        raise ValidationError(_("Kunjungan ini sudah dicatat sebagai kegiatan."))
    visit.activity = activity
    visit.save(update_fields=["activity"])
