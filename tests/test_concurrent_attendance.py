"""Officers at the door and at the desk mark attendance at the same moment: every
save lands, one row per participant and day, and each change is in the history."""

import threading
from collections import defaultdict
from itertools import pairwise

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from training import services
from training.models import Attendance, Registration

from .factories import make_event, make_person

STATUSES = list(Attendance.Status)
SAVES = 20


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite takes one writer at a time by design"
)
def test_twenty_first_saves_of_one_grid_at_once_all_land(reference_data, dinas):
    event = make_event()
    day = event.days.get()
    for _ in range(30):
        services.registration_create(
            event=event, person=make_person(), category=Registration.Category.PENGELOLA
        )
    cells = [f"a-{pk}-{day.pk}" for pk in event.registrations.values_list("pk", flat=True)]
    url = reverse("training:attendance", args=[event.pk])
    start = threading.Barrier(SAVES)
    answers = []

    def save(n):
        client = Client()
        client.force_login(dinas)
        start.wait()
        try:
            answers.append(client.post(url, dict.fromkeys(cells, STATUSES[n % 5])).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(SAVES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [302] * SAVES
    rows = Attendance.objects.filter(day=day)
    assert rows.count() == 30
    history = defaultdict(list)
    for record in Attendance.history.order_by("history_date", "history_id"):
        history[record.registration_id].append(record.status)
    for row in rows:
        statuses = history[row.registration_id]
        assert statuses[-1] == row.status  # the history ends where the row is
        assert all(a != b for a, b in pairwise(statuses))  # each one a change
    # The saves were taken one after the other, the same order for every cell.
    assert len({tuple(statuses) for statuses in history.values()}) == 1
