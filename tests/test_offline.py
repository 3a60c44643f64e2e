"""The server's half of attendance without signal (training/offline.py): the roster a
phone keeps, and the marks it sends, each taken once, with a conflict settled by the
time each change was made and told to the phone."""

import datetime
import json
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from training import offline, services
from training.models import Attendance, PhoneMark

from .conftest import SIGNED_IN, make_user
from .factories import make_event, make_person

TZ = timezone.get_fixed_timezone(7 * 60)  # Asia/Jakarta, the settings' zone


def at(hour, minute=0, day=None):
    """A moment of the event's first day (or `day`), local time."""
    day = day or datetime.date(2024, 3, 27)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def event(db):
    return make_event(days=(datetime.date(2024, 3, 27), datetime.date(2024, 3, 28)))


@pytest.fixture
def days(event):
    return list(event.days.order_by("date"))


@pytest.fixture
def siti(event):
    return services.registration_create(
        event=event, person=make_person(name="Siti Aminah"), category="camat"
    )


@pytest.fixture
def other_officer(db):
    user = make_user("dinas.kedua", "dinas", cities=["61.71"])
    user.first_name, user.last_name = "Rina", "Kedua"
    user.save()
    return user


def cell_mark(registration, day, status, made_at, seen=None, **fields):
    return offline.Mark(
        id=fields.pop("id", None) or uuid.uuid4(),
        made_at=made_at,
        seen=seen,
        registration=registration.pk,
        day=day.pk,
        status=status,
        **fields,
    )


def receive(event, by, *marks):
    return offline.receive(event=event, marks=list(marks), by=by)


# -- the roster ------------------------------------------------------------------------


def test_the_roster_holds_names_codes_and_cells_but_no_nik_or_phone(
    event, days, dinas, django_assert_max_num_queries
):
    person = make_person(name="Budi <b>Santoso</b>", nik="6171051234560001", phone="081234567890")
    registration = services.registration_create(event=event, person=person, category="camat")
    mark = Attendance.objects.create(registration=registration, day=days[0], status="izin")
    with django_assert_max_num_queries(3):  # days, who sits in the room, cells
        roster = offline.roster(event)
    assert roster["participants"] == [
        {
            "id": registration.pk,
            "name": "Budi <b>Santoso</b>",
            "category": "Camat",
            "code": registration.checkin_code,
        }
    ]
    assert roster["days"] == [
        {"id": days[0].pk, "date": "2024-03-27"},
        {"id": days[1].pk, "date": "2024-03-28"},
    ]
    assert roster["cells"] == {
        f"{registration.pk}-{days[0].pk}": {"status": "izin", "at": mark.recorded_at.isoformat()}
    }
    assert roster["time_zone"] == "Asia/Jakarta"
    text = json.dumps(roster)
    assert "6171051234560001" not in text and "081234567890" not in text


def test_the_roster_names_the_substitute_and_leaves_out_the_cancelled(event, siti, dinas):
    cancelled = services.registration_create(
        event=event, person=make_person(name="Batal Datang"), category="camat"
    )
    services.registration_cancel(registration=cancelled)
    services.registration_substitute(registration=siti, substitute=make_person(name="Wakil Siti"))
    names = [p["name"] for p in offline.roster(event)["participants"]]
    assert names == ["Wakil Siti"]


def test_the_roster_page_is_json_for_the_committee(
    client, dinas, event, siti, django_assert_max_num_queries
):
    client.force_login(dinas)
    # what every signed-in page reads, the event, then the roster's cells, days and
    # participants
    with django_assert_max_num_queries(SIGNED_IN + 4):
        response = client.get(reverse("training:attendance_roster", args=[event.pk]))
    assert response["Content-Type"] == "application/json"
    assert response.json()["participants"][0]["code"] == siti.checkin_code
    assert "no-store" in response["Cache-Control"]


# -- taking marks ------------------------------------------------------------------------


def test_a_mark_is_saved_with_the_time_it_was_made(event, days, siti, dinas):
    (receipt,) = receive(event, dinas, cell_mark(siti, days[0], "izin", at(7, 30)))
    stored = Attendance.objects.get()
    assert (stored.status, stored.recorded_at, stored.recorded_by) == ("izin", at(7, 30), dinas)
    assert receipt.outcome == "tersimpan"
    assert receipt.message == "Siti Aminah, Rab 27 Mar: Izin."
    assert receipt.cell == {
        "registration": siti.pk,
        "day": days[0].pk,
        "status": "izin",
        "at": at(7, 30).isoformat(),
    }


def test_a_mark_sent_twice_is_recorded_once(event, days, siti, dinas):
    mark = cell_mark(siti, days[0], "hadir", at(8))
    receive(event, dinas, mark)
    history = Attendance.history.count()
    (again,) = receive(event, dinas, mark)
    twice_in_one = receive(event, dinas, *[cell_mark(siti, days[1], "hadir", at(8))] * 2)
    assert again.outcome == "diulang"
    assert again.message == "Siti Aminah, Rab 27 Mar: sudah diterima sebelumnya."
    assert [r.outcome for r in twice_in_one] == ["tersimpan", "diulang"]
    assert Attendance.objects.count() == 2
    assert Attendance.history.count() == history + 1
    assert PhoneMark.objects.count() == 2


def test_the_same_id_from_another_event_is_another_mark(event, days, siti, dinas):
    """An id is the phone's, per event: it names nothing of an event the sender
    cannot see."""
    mark = cell_mark(siti, days[0], "hadir", at(8))
    receive(event, dinas, mark)
    other = make_event(days=(datetime.date(2024, 3, 27),))
    elsewhere = services.registration_create(event=other, person=make_person(), category="camat")
    (receipt,) = receive(
        other, dinas, cell_mark(elsewhere, other.days.get(), "izin", at(8), id=mark.id)
    )
    assert receipt.outcome == "tersimpan"


def test_marks_are_taken_in_the_order_they_were_made(event, days, siti, dinas):
    later = cell_mark(siti, days[0], "sakit", at(10))
    earlier = cell_mark(siti, days[0], "izin", at(9))
    receipts = receive(event, dinas, later, earlier)  # sent out of order
    assert Attendance.objects.get().status == "sakit"
    assert [r.id for r in receipts] == [earlier.id, later.id]


def test_a_server_change_after_the_phones_mark_stands_and_is_told(
    event, days, siti, dinas, other_officer
):
    """The phone saw the cell empty, marked Sakit at 08:00 without signal; at 08:30
    another officer marked Hadir online. The later change wins."""
    Attendance.objects.create(
        registration=siti,
        day=days[0],
        status="hadir",
        recorded_by=other_officer,
        recorded_at=at(8, 30),
    )
    (receipt,) = receive(event, dinas, cell_mark(siti, days[0], "sakit", at(8), seen=None))
    assert Attendance.objects.get().status == "hadir"
    assert receipt.outcome == "kalah"
    assert receipt.message == (
        "Siti Aminah, Rab 27 Mar: tetap Hadir. Rina Kedua mengubahnya pukul 08:30, "
        "sesudah tanda Anda (Sakit, pukul 08:00)."
    )
    assert receipt.cell["status"] == "hadir"


def test_a_server_change_before_the_phones_mark_is_replaced_and_told(
    event, days, siti, dinas, other_officer
):
    marked = Attendance.objects.create(
        registration=siti, day=days[0], status="alpa", recorded_at=at(7)
    )
    seen = marked.recorded_at
    Attendance.objects.filter(pk=marked.pk).update(
        status="hadir", recorded_at=at(7, 45), recorded_by=other_officer
    )
    (receipt,) = receive(event, dinas, cell_mark(siti, days[0], "izin", at(8), seen=seen))
    stored = Attendance.objects.get()
    assert (stored.status, stored.recorded_at) == ("izin", at(8))
    assert receipt.outcome == "menggantikan"
    assert receipt.message == (
        "Siti Aminah, Rab 27 Mar: Izin. Menggantikan Hadir dari Rina Kedua (pukul 07:45), "
        "yang lebih awal daripada tanda Anda (pukul 08:00)."
    )


def test_a_cell_unchanged_since_the_phone_saw_it_takes_the_mark_quietly(
    event, days, siti, dinas, other_officer
):
    seen = Attendance.objects.create(
        registration=siti,
        day=days[0],
        status="hadir",
        recorded_by=other_officer,
        recorded_at=at(7),
    ).recorded_at
    (receipt,) = receive(event, dinas, cell_mark(siti, days[0], "terlambat", at(9), seen=seen))
    assert receipt.outcome == "tersimpan"
    assert Attendance.objects.get().status == "terlambat"


def test_both_making_the_same_mark_is_no_conflict(event, days, siti, dinas, other_officer):
    Attendance.objects.create(
        registration=siti,
        day=days[0],
        status="hadir",
        recorded_by=other_officer,
        recorded_at=at(9),
    )
    (receipt,) = receive(event, dinas, cell_mark(siti, days[0], "hadir", at(8)))
    assert receipt.outcome == "tersimpan"


def test_a_cell_cleared_on_the_server_after_the_phones_mark_stays_clear(
    event, days, siti, dinas, other_officer
):
    seen = Attendance.objects.create(
        registration=siti, day=days[0], status="hadir", recorded_at=at(7)
    ).recorded_at
    moment = timezone.now()
    services.attendance_save_grid(event=event, marks={(siti.pk, days[0].pk): ""}, by=other_officer)
    (receipt,) = receive(
        event,
        dinas,
        cell_mark(siti, days[0], "sakit", moment - datetime.timedelta(minutes=1), seen=seen),
    )
    assert not Attendance.objects.exists()
    assert receipt.outcome == "kalah"
    assert "tetap kosong" in receipt.message
    assert receipt.cell == {"registration": siti.pk, "day": days[0].pk, "status": "", "at": None}


def test_a_phone_clears_a_cell(event, days, siti, dinas):
    seen = Attendance.objects.create(
        registration=siti, day=days[0], status="hadir", recorded_at=at(7)
    ).recorded_at
    (receipt,) = receive(event, dinas, cell_mark(siti, days[0], "", at(8), seen=seen))
    assert not Attendance.objects.exists()
    assert receipt.message == "Siti Aminah, Rab 27 Mar: kosong."
    assert Attendance.history.filter(history_type="-").count() == 1


def test_a_clock_ahead_of_the_servers_wins_nothing(event, days, siti, dinas):
    future = timezone.now() + datetime.timedelta(days=400)
    receive(event, dinas, cell_mark(siti, days[0], "hadir", future))
    assert Attendance.objects.get().recorded_at <= timezone.now()


@pytest.mark.parametrize(
    "made_at, status",
    [(at(8, 59), "hadir"), (at(9, 0), "hadir"), (at(9, 1), "terlambat")],
    ids=["before nine", "at nine", "after nine"],
)
def test_a_check_in_is_late_by_the_time_it_was_made(event, days, siti, dinas, made_at, status):
    mark = offline.Mark(id=uuid.uuid4(), made_at=made_at, seen=None, code=siti.checkin_code)
    (receipt,) = receive(event, dinas, mark)
    assert (Attendance.objects.get().day, Attendance.objects.get().status) == (days[0], status)
    assert receipt.message.startswith("Siti Aminah, Rab 27 Mar: ")


def test_a_check_in_sent_the_next_day_counts_for_the_day_it_was_made(event, days, siti, dinas):
    mark = offline.Mark(
        id=uuid.uuid4(), made_at=at(8, day=days[1].date), seen=None, code=siti.checkin_code.lower()
    )
    receive(event, dinas, mark)
    assert Attendance.objects.get().day == days[1]


def test_refused_marks_say_why_and_are_refused_once(event, days, siti, dinas):
    cancelled = services.registration_create(event=event, person=make_person(), category="camat")
    services.registration_cancel(registration=cancelled)
    other_day = make_event(days=(datetime.date(2024, 3, 27),)).days.get()
    marks = [
        offline.Mark(id=uuid.uuid4(), made_at=at(8), seen=None, code="PALSU"),
        offline.Mark(
            id=uuid.uuid4(),
            made_at=at(8, day=datetime.date(2024, 4, 1)),
            seen=None,
            code=siti.checkin_code,
        ),
        cell_mark(cancelled, days[0], "hadir", at(8)),
        cell_mark(siti, other_day, "hadir", at(8)),
    ]
    receipts = receive(event, dinas, *marks)
    assert [r.message for r in receipts] == [
        "Kode PALSU tidak terdaftar pada kegiatan ini.",
        "Peserta ini tidak terdaftar pada kegiatan ini.",
        "Hari itu bukan hari kegiatan ini.",
        "Hari ini bukan hari kegiatan ini.",
    ]
    assert {r.outcome for r in receipts} == {"ditolak"}
    assert not Attendance.objects.exists()
    again = receive(event, dinas, *marks)
    assert {r.message for r in again} == {"Tanda ini sudah diterima sebelumnya."}


# -- the address a phone sends to -----------------------------------------------------


def post_marks(client, event, body):
    return client.post(
        reverse("training:attendance_receive", args=[event.pk]),
        body,
        content_type="application/json",
    )


def test_marks_sent_as_json_get_one_receipt_each(client, dinas, event, days, siti):
    client.force_login(dinas)
    good = {
        "id": str(uuid.uuid4()),
        "made_at": "2024-03-27T01:00:00.000Z",
        "seen": None,
        "registration": siti.pk,
        "day": days[0].pk,
        "status": "izin",
        "cell": "x",
        "user": "1",
    }
    bad = {"id": str(uuid.uuid4()), "made_at": "kemarin", "code": "ABC"}
    response = post_marks(client, event, json.dumps({"marks": [good, bad]}))
    receipts = response.json()["receipts"]
    assert response.status_code == 200
    assert {r["id"]: r["outcome"] for r in receipts} == {
        good["id"]: "tersimpan",
        bad["id"]: "ditolak",
    }
    refused = next(r for r in receipts if r["id"] == bad["id"])
    assert "made_at" in refused["message"] and "valid" in refused["message"]
    assert Attendance.objects.get().recorded_at == at(8)


@pytest.mark.parametrize(
    "body",
    ["", "[]", '{"marks": {}}', '{"marks": [1, 2]}', "{marks: []}", '"marks"'],
    ids=["empty", "a list", "not a list", "not objects", "not JSON", "a string"],
)
def test_a_body_that_holds_no_list_of_marks_is_refused_whole(client, dinas, event, body):
    client.force_login(dinas)
    response = post_marks(client, event, body)
    assert response.status_code == 400
    assert response.json()["error"] == "Kiriman tidak terbaca: tidak ada yang disimpan."
    assert not PhoneMark.objects.exists()


def test_too_many_marks_at_once_are_refused_whole(client, dinas, event, settings):
    client.force_login(dinas)
    marks = [{"id": str(uuid.uuid4())}] * 5001
    response = post_marks(client, event, json.dumps({"marks": marks}))
    assert response.status_code == 400
    assert "Terlalu banyak tanda" in response.json()["error"]


def test_marks_need_the_csrf_token(client, dinas, event):
    client.handler.enforce_csrf_checks = True
    client.force_login(dinas)
    assert post_marks(client, event, json.dumps({"marks": []})).status_code == 403


def test_the_admin_dates_a_mark_it_changes(admin_client, event, days, siti):
    mark = Attendance.objects.create(
        registration=siti, day=days[0], status="hadir", recorded_at=at(7)
    )
    url = reverse("admin:training_attendance_change", args=[mark.pk])
    response = admin_client.post(
        url, {"registration": siti.pk, "day": days[0].pk, "status": "sakit"}
    )
    assert response.status_code == 302
    mark.refresh_from_db()
    assert mark.status == "sakit" and mark.recorded_at > at(7)


def test_the_service_worker_names_its_cache_for_the_release(client, dinas):
    client.force_login(dinas)
    response = client.get(reverse("training:offline_worker"))
    script = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert re.search(r"^const CACHE = `\$\{PREFIX\}[0-9a-f]{12}`;$", script, re.MULTILINE)
    assert 'const STATIC = "/static/";' in script
