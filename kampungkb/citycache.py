"""Figures of whole cities, cached per city: the counts a dinas or national page adds up.

Pages are drawn live, from the database, on every request. Only figures are kept,
under one rule: a figure is counted from the tables in `SOURCES` alone, and every
write through the ORM to a row of them stamps the row's city with a new version,
in the writer's own transaction (the cache is a table of the same database). A save
or delete does it through signals, `QuerySet.update()` and `bulk_create()` through
`CityTrackedQuerySet`, which each of those models' managers must use: the app
refuses to start otherwise (`connect`). A figure is read only under the version of
its city it was counted under, so no writer has to remember anything, and no row is
written by every save in the country: each city has its own version.

Raw SQL bypasses the ORM: nothing in the app writes these tables so, and `restore`,
which loads its rows as they are, clears the cache.
"""

import hashlib
import time

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import signals

from .chunks import chunked
from .deferred import Deferred

TIMEOUT = 60 * 60

#: Every table a city figure is counted from, with the way from its rows to their
#: city. `tests/test_citycache.py` checks that the figures read no other table.
SOURCES = {
    "villages.KampungKB": "city",
    "villages.Kelurahan": "district__city",
    "villages.Person": "city",
    "villages.ProfileSnapshot": "kampung__city",
    "training.TrainingEvent": "city",
    "training.EventDay": "event__city",
    "coaching.CoachingPlan": "kampung__city",
    "coaching.CoachingVisit": "kampung__city",
    "coaching.Need": "kampung__city",
}


def _version_key(city_id):
    return f"city-version:{city_id}"


def _versions(city_ids, found):
    """{city id: version} from `found`; a city without one (never changed, or culled)
    gets a new one, so that entries stored under an earlier version are never read."""
    fresh = {
        _version_key(city_id): time.time_ns()
        for city_id in city_ids
        if _version_key(city_id) not in found
    }
    if fresh:
        cache.set_many(fresh, timeout=None)
    versions = {**found, **fresh}
    return {city_id: versions[_version_key(city_id)] for city_id in city_ids}


def per_city(name, city_ids, compute, *, variant=""):
    """{city id: figures} for `city_ids`, in one cache read when all are cached.

    `compute(missing_ids)` returns the figures of every city it is given, as a dict
    of plain values; they are stored for the next reader. `variant` tells apart
    figures that depend on more than the city (a date).
    """
    entry_keys = {city_id: f"{name}:{variant}:{city_id}" for city_id in city_ids}
    found = cache.get_many([*map(_version_key, city_ids), *entry_keys.values()])
    versions = _versions(city_ids, found)
    figures = {}
    for city_id in city_ids:
        entry = found.get(entry_keys[city_id])
        if entry and entry[0] == versions[city_id]:
            figures[city_id] = entry[1]
    missing = [city_id for city_id in city_ids if city_id not in figures]
    if missing:
        computed = compute(missing)
        cache.set_many(
            {entry_keys[city_id]: (versions[city_id], computed[city_id]) for city_id in missing},
            TIMEOUT,
        )
        figures.update(computed)
    return figures


def total(name, city_ids, compute, *, start, variant=""):
    """The figures of `city_ids` added up (from `start`), as per_city gives them.

    The sum is kept too, with the versions of the cities it was added up under, and
    read in the same query as their versions now: a national page reads seventy small
    versions and one sum, not seventy figures to add up, and a write in any of the
    cities since makes the sum one to add up again.
    """
    cities = hashlib.blake2b(repr(sorted(city_ids)).encode(), digest_size=12).hexdigest()
    key = f"{name}:total:{variant}:{cities}"
    found = cache.get_many([key, *map(_version_key, city_ids)])
    versions = _versions(city_ids, found)
    kept = found.get(key)
    if kept and kept[0] == versions:
        return kept[1]
    figures = sum(per_city(name, city_ids, compute, variant=variant).values(), start)
    cache.set(key, (versions, figures), TIMEOUT)
    return figures


def _retire(city_ids):
    city_ids = city_ids - {None}
    if city_ids:
        cache.set_many(dict.fromkeys(map(_version_key, city_ids), time.time_ns()), timeout=None)


_retirements = Deferred("citycache_pending", _retire)

#: Many writes, one retirement per city at the end: for imports of thousands of rows.
batch = _retirements.batch


def city_changed(*city_ids):
    """Retire the cached figures of these cities (inside `batch()`: at its end)."""
    _retirements.note(city_ids)


def _cities_of(model, pks):
    path = model._city_path
    cities = set()
    for chunk in chunked(pks):
        rows = model._base_manager.filter(pk__in=chunk).values_list(path, flat=True)
        cities.update(rows.order_by().distinct())
    return cities


class CityTrackedQuerySet(models.QuerySet):
    """The queryset of every model in `SOURCES`: its bulk writes retire the cities of
    the rows they touch, before and after the write."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.db), batch():
            pks = list(self.values_list("pk", flat=True).order_by())
            city_changed(*_cities_of(self.model, pks))
            rows = super().update(**kwargs)
            city_changed(*_cities_of(self.model, pks))
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db), batch():
            created = super().bulk_create(objs, *args, **kwargs)
            city_changed(*_cities_of(self.model, [obj.pk for obj in created]))
        return created

    bulk_create.alters_data = True


def _saving(sender, instance, raw=False, **kwargs):
    """Note the city a row is in before it is saved: it may be leaving it."""
    if not raw and instance.pk is not None:
        instance._cities_before_save = _cities_of(sender, [instance.pk])


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures (restore) load as they are; restore clears the cache
        before = instance.__dict__.pop("_cities_before_save", set())
        city_changed(*before, *_cities_of(sender, [instance.pk]))


def _deleting(sender, instance, **kwargs):
    city_changed(*_cities_of(sender, [instance.pk]))


def connect():
    """Track every model of `SOURCES`; called once, when the apps are ready."""
    for label, path in SOURCES.items():
        model = apps.get_model(label)
        if not isinstance(model._default_manager.get_queryset(), CityTrackedQuerySet):
            raise ImproperlyConfigured(
                f"{label} holds city figures: its manager must use CityTrackedQuerySet."
            )
        model._city_path = path
        signals.pre_save.connect(_saving, sender=model, weak=False)
        signals.post_save.connect(_saved, sender=model, weak=False)
        signals.pre_delete.connect(_deleting, sender=model, weak=False)
    for model in apps.get_models():
        tracked = isinstance(model._default_manager.get_queryset(), CityTrackedQuerySet)
        if tracked and model._meta.label not in SOURCES:
            raise ImproperlyConfigured(
                f"{model._meta.label} uses CityTrackedQuerySet: name its city in SOURCES."
            )
