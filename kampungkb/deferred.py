"""Work noted while many writes run, done once when they end."""

from contextlib import contextmanager
from contextvars import ContextVar


class Deferred:
    """Keys noted inside `batch()` reach `flush` once, at its end; outside a batch,
    each `note` reaches it at once. Nothing reaches it when the batch fails: the
    writes roll back with their transaction."""

    def __init__(self, name, flush):
        self._pending = ContextVar(name, default=None)
        self._flush = flush

    def note(self, keys):
        keys = set(keys)
        pending = self._pending.get()
        if pending is None:
            self._flush(keys)
        else:
            pending.update(keys)

    @contextmanager
    def batch(self):
        token = self._pending.set(set())
        try:
            yield
            keys = self._pending.get()
        finally:
            self._pending.reset(token)
        self.note(keys)
