"""Misses counted per client address, for public pages that must not be usable to
guess their way through the data (the certificate check)."""

import hashlib

from django.core.cache import cache

from .clientip import client_ip

WINDOW = 60 * 60  # seconds a miss is remembered


def _key(request, scope):
    """A key of bounded length whatever the address (the cache table holds 255
    characters of a key)."""
    address = hashlib.sha256(client_ip(request).encode()).hexdigest()
    return f"misses:{scope}:{address}"


def is_throttled(request, scope, limit):
    return cache.get(_key(request, scope), 0) >= limit


def count_miss(request, scope):
    key = _key(request, scope)
    if not cache.add(key, 1, WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, WINDOW)
