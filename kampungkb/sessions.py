"""Django's database sessions, with keys only of the characters Django makes them of."""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    """A cookie whose key holds a character Django never puts in one (a NUL, which
    PostgreSQL cannot compare, ended in a server error) is no session, as an unknown
    key is: its holder is signed out."""

    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and not set(key) - set(VALID_KEY_CHARS)
