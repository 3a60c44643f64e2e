"""The edges a careless user or an attacker reaches: long reasons, malformed phone
uploads, months out of range, photos with payloads, forged proxy headers, a database
outage, the admin moving a registration, coordinates outside Indonesia, and two tabs
editing one activity. None of them ends in a server error or a half-written change."""

import datetime
import io
import json
import uuid

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from PIL import Image

from coaching.models import CoachingVisit, Need
from training import services as training
from training.models import Attendance
from villages.models import ActivityPhoto, KampungKB
from villages.photos import MAX_PIXELS, checked_photo

from .factories import make_activity, make_event, make_person, photo_bytes
from .forms import admin_url, page_form_data, submit

pytestmark = pytest.mark.django_db

LONG = " ".join(["Alasan yang panjang, dengan rincian hasil verifikasi lapangan."] * 5)


# -- 1. reasons and notes longer than 100 characters ------------------------------------


def test_an_override_reason_of_any_length_is_kept_whole(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    url = reverse("villages:override", args=[village_sungaibangkong.pk])
    assert client.post(url, {"level": "mandiri", "reason": LONG}).status_code == 302
    assert village_sungaibangkong.history.first().history_change_reason == LONG


def test_a_reopen_reason_of_any_length_is_kept_whole(client, dinas, village_sungaibangkong):
    visit = CoachingVisit.objects.create(
        kampung=village_sungaibangkong, date=datetime.date(2024, 3, 1), status="verified"
    )
    client.force_login(dinas)
    client.post(reverse("coaching:visit_reopen", args=[visit.pk]), {"reason": LONG})
    visit.refresh_from_db()
    assert visit.status == CoachingVisit.Status.DRAFT
    assert visit.history.first().history_change_reason == LONG


def test_a_long_progress_note_is_kept_with_the_needs_new_status(
    client, dinas, village_sungaibangkong
):
    need = Need.objects.create(kampung=village_sungaibangkong, category="data", description="Data")
    visit = CoachingVisit.objects.create(
        kampung=village_sungaibangkong, date=datetime.date(2024, 3, 1)
    )
    client.force_login(dinas)
    url = reverse("coaching:visit_edit", args=[visit.pk])
    submit(client, url, **{f"need-{need.pk}-status": "in_progress", f"need-{need.pk}-note": LONG})
    need.refresh_from_db()
    assert need.status == Need.Status.IN_PROGRESS
    assert need.updates.get().note == LONG
    assert need.history.first().history_change_reason == LONG


# -- 3. the phone's upload of marks ------------------------------------------------------


@pytest.fixture
def phone(client, dinas):
    event = make_event(days=(datetime.date(2024, 3, 27),))
    registration = training.registration_create(
        event=event, person=make_person(), category="pengelola"
    )
    client.force_login(dinas)

    def send(body):
        url = reverse("training:attendance_receive", args=[event.pk])
        return client.post(url, body, content_type="application/json")

    return event, registration, send


def a_mark(attendee, **changes):
    return {
        "id": str(uuid.uuid4()),
        "made_at": "2024-03-27T08:00:00+07:00",
        "registration": attendee.pk,
        "day": attendee.event.days.get().pk,
        "status": "hadir",
        **changes,
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"made_at": "0001-01-01T00:00:00+14:00"},
        {"made_at": "9999-12-31T23:59:59-12:00"},
        {"seen": "0001-01-01T00:00:00+14:00"},
        {"made_at": ["2024-03-27T08:00:00"]},
        {"registration": [1, 2]},
        {"status": {"hadir": True}},
        {"registration": 10**30},
    ],
    ids=["year 1 east", "year 9999 west", "seen year 1", "list", "list key", "object", "huge"],
)
def test_a_mark_the_app_never_makes_is_refused_with_a_message(phone, changes):
    event, registration, send = phone
    response = send(json.dumps({"marks": [a_mark(registration, **changes)]}))
    assert response.status_code == 200
    [receipt] = response.json()["receipts"]
    assert receipt["outcome"] == "ditolak" and receipt["message"]
    assert not Attendance.objects.exists()


def test_json_nested_deeper_than_python_reads_is_refused(phone):
    _event, _registration, send = phone
    response = send('{"marks": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert response.status_code == 400
    assert "tidak terbaca" in response.json()["error"]


# -- 4. months and years out of range ----------------------------------------------------


MONTH_PAGES = [
    ("coaching:matrix", "mulai"),
    ("coaching:plan", "mulai"),
    ("coaching:report", "mulai"),
    ("villages:levels", "mulai"),
    ("villages:portal_export", "bulan"),
]


@pytest.mark.parametrize("name, parameter", MONTH_PAGES)
@pytest.mark.parametrize("month", ["0001-01", "9999-12", "10000-01", "2024-13", "garbage"])
def test_a_month_out_of_range_is_the_apps_400_page(client, dinas, name, parameter, month):
    client.force_login(dinas)
    response = client.get(reverse(name), {parameter: month, "format": "xlsx"})
    if month in ("0001-01", "9999-12"):
        assert response.status_code == 400
        assert "di luar jangkauan" in response.content.decode()
    else:  # not a month at all: the page's own month
        assert response.status_code == 200


def test_a_kelurahan_officer_asking_for_year_9999_gets_the_400_page(client, lurah_sungaibangkong):
    client.force_login(lurah_sungaibangkong)
    response = client.get(reverse("villages:levels"), {"mulai": "9999-02"})
    assert response.status_code == 400


@pytest.mark.parametrize("year, status", [("0", 400), ("99999", 400), ("2024", 200), ("x", 200)])
def test_an_event_year_out_of_range_is_the_apps_400_page(client, dinas, year, status):
    client.force_login(dinas)
    assert client.get(reverse("training:list"), {"year": year}).status_code == status


# -- 5. photos ----------------------------------------------------------------------------


def jpeg_with(**save):
    return SimpleUploadedFile("foto.jpg", photo_bytes("JPEG", size=(64, 48), **save))


def test_a_jpegs_comment_and_exif_do_not_survive(client):
    exif = Image.Exif()
    exif[0x010E] = "<script>alert(1)</script>"  # ImageDescription
    upload = jpeg_with(comment=b"<script>alert('COM')</script>", exif=exif.tobytes())
    kept = checked_photo(upload).read()
    assert b"<script>" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert "comment" not in image.info and not image.getexif()


def test_a_colour_profile_is_kept_with_the_colours(client):
    profile = b"\x00" * 128  # any bytes: Pillow carries them as the APP2 segment
    kept = checked_photo(jpeg_with(icc_profile=profile)).read()
    with Image.open(io.BytesIO(kept)) as image:
        assert image.info.get("icc_profile") == profile


def test_a_photo_above_the_decoding_budget_is_refused_unread():
    side = int(MAX_PIXELS**0.5) + 10
    png = SimpleUploadedFile("besar.png", photo_bytes("PNG", size=(side, side)))
    with pytest.raises(Exception, match="paling banyak 24 juta"):
        checked_photo(png)


def test_a_large_jpeg_is_kept_at_2048_pixels(client):
    kept = checked_photo(SimpleUploadedFile("besar.jpg", photo_bytes("JPEG", size=(5000, 4000))))
    with Image.open(kept) as image:
        assert max(image.size) == 2048


# -- 6. addresses behind a proxy ------------------------------------------------------------


@pytest.mark.parametrize(
    "forwarded, recorded",
    [
        ("198.51.100.40:5555", "198.51.100.40"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:db8::8", "2001:db8::8"),
        ("unknown", "10.0.0.1"),
        ("x" * 300, "10.0.0.1"),
    ],
)
def test_a_forwarded_address_of_any_form_signs_in_or_fails_cleanly(
    client, dinas, settings, forwarded, recorded
):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(
        reverse("accounts:login"),
        {"username": "dinas.pontianak", "password": "salah"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200  # the form again, with its error
    assert AccessAttempt.objects.get().ip_address == recorded


def test_the_certificate_check_throttles_a_long_forwarded_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("training:verify")
    headers = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "y" * 300}
    for _ in range(20):
        client.get(url, {"kode": "ABCDEFGHJK"}, **headers)
    assert client.get(url, {"kode": "ABCDEFGHJK"}, **headers).status_code == 429


# -- 7. probes during a database outage -----------------------------------------------------


def refuse():
    raise OperationalError("could not connect to server: Connection refused")


def test_the_probes_answer_with_a_session_cookie_while_the_database_is_down(
    client, dinas, monkeypatch
):
    client.force_login(dinas)
    probe = Client(raise_request_exception=False)
    probe.cookies = client.cookies
    monkeypatch.setattr(connection, "ensure_connection", refuse)
    assert probe.get(reverse("alive")).status_code == 200
    assert probe.get(reverse("health")).status_code == 503


# -- 8. the admin keeps a registration with its event ------------------------------------------


def test_the_admin_cannot_move_a_registration_to_another_event(admin_client):
    event, other = make_event(), make_event()
    registration = training.registration_create(
        event=event, person=make_person(), category="pengelola"
    )
    Attendance.objects.create(registration=registration, day=event.days.get(), status="hadir")
    page = admin_client.get(admin_url(registration))
    assert "event" not in page.context["adminform"].form.fields
    data = {**page_form_data(page), "event": other.pk}
    admin_client.post(admin_url(registration), data)
    registration.refresh_from_db()
    assert registration.event == event


# -- 9. coordinates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "latitude, longitude, field",
    [("-200", "109.34", "latitude"), ("-0.02", "500", "longitude"), ("7", "100", "latitude")],
)
def test_coordinates_outside_indonesia_are_refused_by_form_and_admin(
    client, admin_client, dinas, village_sungaibangkong, latitude, longitude, field
):
    client.force_login(dinas)
    for who, url in [
        (client, reverse("villages:edit", args=[village_sungaibangkong.pk])),
        (admin_client, admin_url(village_sungaibangkong)),
    ]:
        page = who.get(url)
        data = {**page_form_data(page), "latitude": latitude, "longitude": longitude}
        response = who.post(url, data)
        assert response.status_code == 200
        assert "di Indonesia antara" in response.content.decode()
    assert KampungKB.objects.get().latitude is None


def test_the_database_holds_the_bounds_too(village_sungaibangkong):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        KampungKB.objects.filter(pk=village_sungaibangkong.pk).update(latitude=-200)


# -- an activity edited in two tabs ---------------------------------------------------------


def test_the_second_save_of_an_activity_open_in_two_tabs_is_refused(
    client, dinas, village_sungaibangkong
):
    activity = make_activity(village_sungaibangkong, title="Kelas BKB")
    client.force_login(dinas)
    url = reverse("villages:activity_edit", args=[activity.pk])
    first, second = page_form_data(client.get(url)), page_form_data(client.get(url))
    assert client.post(url, {**first, "title": "Kelas BKB April"}).status_code == 302
    response = client.post(url, {**second, "title": "Kelas BKB Mei"})
    assert response.status_code == 200
    assert "telah diubah orang lain" in response.content.decode()
    assert 'value="Kelas BKB Mei"' in response.content.decode()  # the input is kept
    activity.refresh_from_db()
    assert activity.title == "Kelas BKB April"
    assert not ActivityPhoto.objects.exists()
