"""Django's database sessions, with keys only of the characters Django makes them of,
read by a plain statement."""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

#: Django's own read of a live session (`_get_session_from_db`), written out: every
#: signed-in request makes it, and the ORM took 0.2 ms to build it, longer than the
#: database took to answer (docs/performance.md).
LIVE_SESSION_DATA = "SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s"


class SessionStore(DatabaseSessionStore):
    """A cookie whose key holds a character Django never puts in one (a NUL, which
    PostgreSQL cannot compare, ended in a server error) is no session, as an unknown
    key is: its holder is signed out."""

    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and not set(key) - set(VALID_KEY_CHARS)

    def load(self):
        """The data of the live session of this key; as Django's, an unknown or
        expired key is forgotten and gives an empty session."""
        data = self._live_session_data()
        if data is None:
            self._session_key = None
            return {}
        return self.decode(data)

    def _live_session_data(self):
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(LIVE_SESSION_DATA.format(table=table), [self.session_key, now])
            row = cursor.fetchone()
        return row[0] if row else None
