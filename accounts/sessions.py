"""Database sessions that bring their signed-in user along (SESSION_ENGINE).

Each signed-in request needs its session and then its user: two queries before a
page does anything of its own. Here the session row names its user, and loading
the session loads the user and the profile in the same query; the backend
(`accounts.backends`) takes that user instead of asking again. Django still checks
the user against the session (`auth.get_user`: the password hash, `is_active`).
"""

from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore

#: The user row loaded with the session of the request under way, if any.
_loaded_user = ContextVar("session_user", default=None)


def user_loaded_with_session(user_id):
    """The user `user_id` (as `auth.get_user` reads it from the session) as the
    current request's session loaded them, else None."""
    user = _loaded_user.get()
    return user if user is not None and user.pk == user_id else None


class SessionStore(DBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        # A new store starts each request: nothing loaded by an earlier one is taken.
        _loaded_user.set(None)

    @classmethod
    def get_model_class(cls):
        from .models import UserSession

        return UserSession

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        _loaded_user.set(session.user if session else None)
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = data.get(SESSION_KEY)
        return session
