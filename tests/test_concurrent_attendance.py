"""Officers at the door and at the desk mark attendance at the same moment: every
save lands, one row per participant and day, and each change is in the history; a
phone's queue sent twice at once is recorded once."""

import threading
import uuid
from collections import defaultdict
from itertools import pairwise

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from training import services
from training.models import Attendance, PhoneMark, Registration

from .factories import make_event, make_person

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite takes one writer at a time by design"
)
STATUSES = list(Attendance.Status)
SAVES = 20


@pytest.fixture
def hall(reference_data):
    """A one-day event with 30 participants, outside a transaction: the threads'
    connections see it."""
    event = make_event()
    for _ in range(30):
        services.registration_create(
            event=event, person=make_person(), category=Registration.Category.PENGELOLA
        )
    return event, event.days.get()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def at_once(target, times):
    """Run `target(n)` in `times` threads that start together, each on its own
    connection; return when all are done."""
    start = threading.Barrier(times)

    def run(n):
        start.wait()
        try:
            target(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_twenty_first_saves_of_one_grid_at_once_all_land(hall, dinas):
    event, day = hall
    cells = [f"a-{pk}-{day.pk}" for pk in event.registrations.values_list("pk", flat=True)]
    url = reverse("training:attendance", args=[event.pk])
    clients = [signed_in(dinas) for _ in range(SAVES)]
    answers = []

    def save(n):
        answers.append(clients[n].post(url, dict.fromkeys(cells, STATUSES[n % 5])).status_code)

    at_once(save, SAVES)

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


def test_one_queue_sent_from_ten_tabs_at_once_is_recorded_once(hall, dinas):
    event, day = hall
    queue = [
        {
            "id": str(uuid.uuid4()),
            "made_at": timezone.now().isoformat(),
            "seen": None,
            "registration": pk,
            "day": day.pk,
            "status": "hadir",
        }
        for pk in event.registrations.values_list("pk", flat=True)
    ]
    url = reverse("training:attendance_receive", args=[event.pk])
    tabs = 10
    clients = [signed_in(dinas) for _ in range(tabs)]
    outcomes = defaultdict(list)

    def send(n):
        response = clients[n].post(url, {"marks": queue}, content_type="application/json")
        for receipt in response.json()["receipts"]:
            outcomes[receipt["id"]].append(receipt["outcome"])

    at_once(send, tabs)

    assert {mark_id: sorted(got) for mark_id, got in outcomes.items()} == {
        mark["id"]: ["diulang"] * (tabs - 1) + ["tersimpan"] for mark in queue
    }
    assert Attendance.objects.filter(day=day, status="hadir").count() == 30
    assert Attendance.history.count() == 30
    assert PhoneMark.objects.count() == 30
