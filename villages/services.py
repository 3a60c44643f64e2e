"""Workflows of the villages app that touch more than one row."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_noop

from kampungkb import citycache

from . import classification
from .models import METHOD_FIELDS, Level, ProfileSnapshot


@dataclass(frozen=True)
class Assessment:
    snapshot: ProfileSnapshot | None
    criteria: list
    computed_level: Level
    missing: list


def city_figures(city, month):
    """The city's CPR, MKJP share and unmet need from every village's snapshot of a
    month, which a village's first snapshot is judged against; cached for the city."""
    return citycache.per_city(
        "snapshot-figures", [city], lambda ids: {city: sum_city_figures(city, month)}, variant=month
    )[city]


def sum_city_figures(city, month):
    """`city_figures` counted now: what a write judges levels by, never a cached value."""
    sums = ProfileSnapshot.objects.filter(kampung__city=city, month=month).aggregate(
        pus=Sum("pus"),
        iat=Sum("iat"),
        tial=Sum("tial"),
        **{field: Sum(field) for field in METHOD_FIELDS},
    )
    return classification.figures_of(ProfileSnapshot(**{k: v or 0 for k, v in sums.items()}))


def village_assess(village, snapshots=None, *, baseline=city_figures):
    """Judge a village on its latest snapshot against the one before, or else against
    `baseline(city, month)`: its city's figures of that month. `snapshots` are its
    latest, newest first (read here if not given)."""
    if snapshots is None:
        snapshots = list(village.snapshots.order_by("-month")[:2])
    latest = snapshots[0] if snapshots else None
    if latest is None:
        return Assessment(None, [], Level.DASAR, [])
    if len(snapshots) > 1:
        before = classification.figures_of(snapshots[1])
    else:
        before = baseline(village.city_id, latest.month)
    criteria = classification.assess(latest, before)
    return Assessment(
        latest,
        criteria,
        classification.level_for(criteria),
        classification.missing_for_next_level(criteria),
    )


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
