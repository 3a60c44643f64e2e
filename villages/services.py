"""Workflows of the villages app that touch more than one row."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from kampungkb.months import add_months, next_month
from kampungkb.pdf import indonesian_date

from . import classification
from .models import Activity, ActivityAgency, ProfileSnapshot


def levels_by_month(villages, months):
    """{month: Counter(level: villages)}: each village judged by the portal's rule,
    live, on its profile of the month and the agencies of its activities held by
    the month's end; a village without a profile that month is not in it."""
    counts = {month: Counter() for month in months}
    held = defaultdict(list)
    links = ActivityAgency.objects.filter(activity__kampung__in=villages)
    for village, day, agency in links.values_list("activity__kampung", "activity__date", "agency"):
        held[village].append((day, agency))
    profiles = ProfileSnapshot.objects.filter(kampung__in=villages, month__in=months)
    for profile in profiles.order_by().iterator(chunk_size=2000):
        month_end = add_months(profile.month, 1)
        agencies = {agency for day, agency in held[profile.kampung_id] if day < month_end}
        level = classification.classify(profile, len(agencies)).level
        counts[profile.month][level] += 1
    return counts


@transaction.atomic
def village_override_level(*, village, level, reason, by):
    """Set (or, with an empty level, lift) a dinas officer's override; kept in history."""
    village.level_override = level
    village.override_reason = reason if level else ""
    village.override_by = by if level else None
    village._change_reason = reason or gettext_noop("penetapan dinas dicabut")
    village.version += 1
    village.save(update_fields=["level_override", "override_reason", "override_by", "version"])
    return village


@transaction.atomic
def record_activity(*, kampung, agencies, **fields):
    """An activity of `kampung` with its agencies, as the form saves one."""
    activity = Activity.objects.create(kampung=kampung, **fields)
    activity.agencies.set(agencies)
    return activity


# -- the month sheet ---------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    """A village in the month sheet: its profile of the month, its latest before it,
    and the level the month's profile gives."""

    village: object
    profile: ProfileSnapshot | None
    previous: ProfileSnapshot | None
    level: object

    ENTERED, SAME, MISSING = "entered", "same", "missing"

    @property
    def state(self):
        if self.profile is None:
            return self.MISSING
        if self.previous and not self.profile.answers_differ(self.previous):
            return self.SAME
        return self.ENTERED

    @property
    def can_copy(self):
        return self.profile is None and self.previous is not None


def _agencies_held(villages, before):
    """{village id: the distinct agencies of its activities held before a day}."""
    links = ActivityAgency.objects.filter(activity__kampung__in=villages, activity__date__lt=before)
    counts = links.values("activity__kampung").annotate(n=Count("agency", distinct=True))
    return {row["activity__kampung"]: row["n"] for row in counts.order_by()}


def month_rows(villages, month):
    """Each of `villages` with its profile of `month` and its latest before it."""
    profiles = ProfileSnapshot.objects.filter(kampung__in=villages, month__lte=month)
    this_month, previous = {}, {}
    for profile in profiles.order_by("kampung", "-month"):
        if profile.month == month:
            this_month[profile.kampung_id] = profile
        else:
            previous.setdefault(profile.kampung_id, profile)
    agencies = _agencies_held(villages, next_month(month))
    rows = []
    for village in villages:
        profile = this_month.get(village.pk)
        level = profile and classification.classify(profile, agencies.get(village.pk, 0)).level
        rows.append(MonthRow(village, profile, previous.get(village.pk), level))
    return rows


@dataclass(frozen=True)
class CopyResult:
    copied: int
    skipped: int


@transaction.atomic
def profiles_copy_forward(*, villages, month, by):
    """The profile of `month` of each of `villages` that has none: a copy of its latest
    before it, kept in history as such ("disalin dari profil Maret 2024"). A village
    with a profile of the month, or none before it, is skipped."""
    villages = list(villages)
    latest = ProfileSnapshot.objects.filter(kampung__in=villages).before(month)
    entered = set(
        ProfileSnapshot.objects.filter(kampung__in=villages, month=month).values_list(
            "kampung", flat=True
        )
    )
    copies = []
    for village in villages:
        source = latest.get(village.pk)
        if source is None or village.pk in entered:
            continue
        copy = source.copied_to(month)
        copy._change_reason = f"disalin dari profil {indonesian_date(source.month, 'F Y')}"
        copies.append(copy)
    bulk_create_with_history(copies, ProfileSnapshot, default_user=by)
    return CopyResult(len(copies), len(villages) - len(copies))
