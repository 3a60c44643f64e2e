"""The cache backend of settings.CACHES."""

from django.core.cache.backends import db


class DatabaseCache(db.DatabaseCache):
    """Django's database cache, without its checks that each key would suit memcached:
    the keys are the app's own (a city's version, a figure's name), and a national
    page's seventy keys checked character by character took a quarter of reading them.
    Django's documentation names overriding `validate_key` as the way to do this."""

    def validate_key(self, key):
        pass
