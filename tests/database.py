"""What the database holds, and making its writes fail: for the tests that prove a
refused or failed change leaves nothing half-written."""

import hashlib

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

#: Statements that change rows.
WRITES = ("INSERT", "UPDATE", "DELETE")


def every_table():
    """{model: (rows, digest of every row)}: equal before and after a change that was
    refused or failed means that nothing of it remains."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        rows = sorted(map(repr, model._base_manager.order_by().values_list()))
        state[model._meta.label] = (len(rows), hashlib.sha256("".join(rows).encode()).hexdigest())
    return state


def is_write(sql):
    return sql.lstrip().upper().startswith(WRITES)


class FailingWrite:
    """A database execute wrapper (`connection.execute_wrapper`) that lets the first
    writes through and fails the `nth`: as if the database refused the last row."""

    def __init__(self, nth):
        self.nth, self.seen = nth, 0

    def __call__(self, execute, sql, params, many, context):
        if is_write(sql):
            self.seen += 1
            if self.seen == self.nth:
                raise DatabaseError("the last write is refused")
        return execute(sql, params, many, context)


def fail_last_write(prepare):
    """`prepare()` makes what a change needs and returns the change, a callable. It is
    run once to count its writes (and rolled back), then once more with the last of
    them refused. Returns the number of writes, and every table before and after the
    refused change."""
    with transaction.atomic():
        change = prepare()
        with CaptureQueriesContext(connection) as captured:
            change()
        transaction.set_rollback(True)
    writes = sum(1 for query in captured if is_write(query["sql"]))
    change = prepare()
    before = every_table()
    with connection.execute_wrapper(FailingWrite(writes)):
        try:
            change()
        except DatabaseError:
            pass
        else:
            raise AssertionError("the last write did not fail")
    return writes, before, every_table()
