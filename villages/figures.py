"""Counts over whole cities, cached per city until something in it changes (citycache)."""

from collections import Counter

from django.db.models import Count

from kampungkb import citycache

from .models import KampungKB, Level, Person


def _levels_by_city(city_ids):
    counts = {city_id: Counter() for city_id in city_ids}
    rows = (
        KampungKB.objects.filter(city__in=city_ids)
        .with_level()
        .values_list("city", "status", "effective_level")
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


def _people_by_city(city_ids):
    counts = dict.fromkeys(city_ids, 0)
    rows = Person.objects.filter(city__in=city_ids).values_list("city").annotate(n=Count("id"))
    counts.update(rows.order_by())
    return counts


def city_person_count(city_ids):
    """How many people the registers of these cities hold."""
    return citycache.total("people", city_ids, _people_by_city, start=0)
