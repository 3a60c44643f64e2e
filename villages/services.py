"""Workflows of the villages app that touch more than one row."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_noop

from . import classification
from .models import ProfileSnapshot


@dataclass(frozen=True)
class Assessment:
    """A village judged as the national portal judges it, on its latest profile."""

    snapshot: ProfileSnapshot | None
    classification: classification.Classification

    @property
    def computed_level(self):
        return self.classification.level


def assess_profile(latest):
    """Judge a village on its latest profile, None where it has none yet."""
    return Assessment(latest, classification.classify(latest))


def levels_by_month(villages, months):
    """{month: Counter(level: villages)}: each village judged on its profile of the
    month by the portal's rule, live; a village without one that month is not in it."""
    counts = {month: Counter() for month in months}
    profiles = ProfileSnapshot.objects.filter(kampung__in=villages, month__in=months)
    for profile in profiles.order_by().iterator(chunk_size=2000):
        counts[profile.month][classification.classify(profile).level] += 1
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
