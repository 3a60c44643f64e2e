"""Counts of Kampung KB per level over whole cities, cached per city (see citycache)."""

from collections import Counter

from django.db.models import Count

from kampungkb import citycache

from .models import KampungKB, Level


def _levels_by_city(city_ids):
    counts = {city_id: Counter() for city_id in city_ids}
    rows = (
        KampungKB.objects.filter(kelurahan__district__city__in=city_ids)
        .with_level()
        .values_list("kelurahan__district__city", "status", "effective_level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for city_id, status, level, n in rows:
        counts[city_id][status, level] = n
    return counts


def city_level_counts(city_ids, status=None):
    """[(level, n)] over the villages of these whole cities, of one status if given;
    the same as `KampungKB.objects…level_counts()` over them, without the scan."""
    counts = citycache.total("village-levels", city_ids, _levels_by_city, start=Counter())
    totals = Counter()
    for (village_status, level), n in counts.items():
        if status in (None, village_status):
            totals[level] += n
    return [(level, totals[level.value]) for level in Level]
