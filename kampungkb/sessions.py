"""Django's database sessions, refusing a key with a character Django never puts in
one: PostgreSQL cannot compare text holding a NUL, and such a cookie ended in a server
error. As with an unknown key, its holder is simply not signed in."""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and not set(key) - set(VALID_KEY_CHARS)
