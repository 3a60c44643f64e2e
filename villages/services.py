"""Workflows of the villages app that touch more than one row."""

from collections import Counter, defaultdict

from django.db import transaction
from django.utils.translation import gettext_noop

from kampungkb.months import add_months

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
