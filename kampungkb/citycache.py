"""Figures (and pages) of whole cities, kept in the shared cache until something in
the city changes.

A provincial or national user's page adds up the figures of many cities (84,000
villages for the whole country). Each city's figures are computed once and then
read by every user and every worker until a save in that city stamps the city with
a new version (`city_changed`); the sum over a user's cities is kept too, under the
version of all cities together, so that a page reads one cache entry, not seventy.
Any other value drawn from some cities' data alone can be kept the same way
(`for_cities`): `fragments.py` keeps whole page contents.

Every entry carries the version it was computed under, read before computing: a
reader that computed old figures while a save was committing stores them under the
old version, which no later reader accepts. Entries lapse after `TIMEOUT`, which
also bounds how stale a figure can get from a write that bypassed the signals.

Every save writes the all-cities version, so writing transactions queue on that one
cache row until they commit; they are short here (a form, or an import in one batch).
"""

import hashlib
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db.models import signals

TIMEOUT = 60 * 60
ANY_CITY = "city-version:any"

#: The cities changed inside the current `batch()`, if any.
_pending = ContextVar("citycache_pending", default=None)


def _version_key(city_id):
    return f"city-version:{city_id}"


def _stamped(found, key, version):
    """The value cached under `key` if it was computed under `version`, else None."""
    entry = found.get(key)
    return entry[1] if entry and entry[0] == version else None


def _versions(keys, found):
    """The versions among `found`; a key without one (never changed, or culled) gets
    a new one, so that entries stored under an earlier version are never accepted."""
    fresh = {key: time.time_ns() for key in keys if key not in found}
    if fresh:
        cache.set_many(fresh, timeout=None)
    return {key: found.get(key) or fresh[key] for key in keys}


def per_city(name, city_ids, compute, *, variant=""):
    """{city id: figures} for `city_ids`, in one cache read when all are cached.

    `compute(missing_ids)` must return the figures of every city it is given, as a
    dict; they are stored for the next reader. `variant` tells apart figures that
    depend on more than the city (a date).
    """
    version_keys = {city_id: _version_key(city_id) for city_id in city_ids}
    entry_keys = {city_id: f"{name}:{variant}:{city_id}" for city_id in city_ids}
    found = cache.get_many([*version_keys.values(), *entry_keys.values()])
    versions = _versions(version_keys.values(), found)
    figures = {}
    for city_id in city_ids:
        value = _stamped(found, entry_keys[city_id], versions[version_keys[city_id]])
        if value is not None:
            figures[city_id] = value
    missing = [city_id for city_id in city_ids if city_id not in figures]
    if missing:
        computed = compute(missing)
        cache.set_many(
            {
                entry_keys[city_id]: (versions[version_keys[city_id]], computed[city_id])
                for city_id in missing
            },
            TIMEOUT,
        )
        figures.update(computed)
    return figures


def for_cities(name, city_ids, compute, *, variant=""):
    """What `compute()` returns, for a value drawn from the data of `city_ids` alone:
    kept until one of those cities changes. `variant` (anything with a stable repr)
    tells apart values that depend on more than the cities.

    One city is stamped with its own version, several with the version of all cities.
    """
    version_key = _version_key(city_ids[0]) if len(city_ids) == 1 else ANY_CITY
    digest = hashlib.blake2b(repr((sorted(city_ids), variant)).encode(), digest_size=8)
    key = f"{name}:{digest.hexdigest()}"
    found = cache.get_many([version_key, key])
    version = _versions([version_key], found)[version_key]
    value = _stamped(found, key, version)
    if value is None:
        value = compute()
        cache.set(key, (version, value), TIMEOUT)
    return value


def total(name, city_ids, compute, *, start, variant=""):
    """The figures of `city_ids` added up (from `start`), as per_city gives them."""

    def add_up():
        return sum(per_city(name, city_ids, compute, variant=variant).values(), start)

    return for_cities(f"{name}:total", city_ids, add_up, variant=variant)


def city_changed(*city_ids):
    """Retire the cached figures of these cities.

    The cache is a table of the same database (settings.CACHES), so the new version
    commits or rolls back with the change itself. Inside `batch()`, the cities are
    only noted, and retired once when the batch ends.
    """
    city_ids = {city_id for city_id in city_ids if city_id is not None}
    pending = _pending.get()
    if pending is not None:
        pending.update(city_ids)
    elif city_ids:
        stamp = time.time_ns()
        keys = [ANY_CITY, *(_version_key(city_id) for city_id in city_ids)]
        cache.set_many(dict.fromkeys(keys, stamp), timeout=None)


@contextmanager
def batch():
    """Many saves, one retirement per city: for imports of thousands of rows."""
    token = _pending.set(set())
    try:
        yield
        cities = _pending.get()
    finally:
        _pending.reset(token)
    city_changed(*cities)  # not reached on an error: the transaction rolls back


def track(model, city_path):
    """Retire a city's figures whenever a `model` row in it is saved or deleted.

    `city_path` leads from the model to its city id ("kampung__city"),
    or to several ("registrations__event__city": the cities of a person's events).
    The cities are looked up before a delete, while the row still exists.
    """

    def cities_of(instance):
        return model._base_manager.filter(pk=instance.pk).values_list(city_path, flat=True)

    def changed(sender, instance, raw=False, **kwargs):
        if not raw:  # fixtures (restore) load as they are; restore clears the cache
            city_changed(*cities_of(instance))

    signals.post_save.connect(changed, sender=model, weak=False)
    signals.pre_delete.connect(changed, sender=model, weak=False)


def track_reference(model):
    """Retire everything kept when a `model` row is saved or deleted: reference data
    (the agencies) that the figures and pages of every city may show. Such changes
    are rare, so the whole cache goes; versions start afresh on the next read."""

    def changed(sender, raw=False, **kwargs):
        if not raw:
            cache.clear()

    signals.post_save.connect(changed, sender=model, weak=False)
    signals.post_delete.connect(changed, sender=model, weak=False)
