"""Events people can attend on time: each day's hours in the local time zone and a
contact to call, on the page, in the invitation, in calendars; and the door,
where a walk-in is added and registered in one step."""

import datetime
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from training import services
from training.models import Attendance, EventDay, Registration
from villages.models import Person

from .factories import make_event, make_person
from .test_calendar import feed_address
from .test_training import event_data

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def at(day, hour, minute=0):
    """A moment of March 2024 in Jakarta's time."""
    return datetime.datetime(2024, 3, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def timed_event():
    event = make_event(
        title="Bimtek Pengelola",
        venue="Aula Dinas",
        contact_name="Yuniarlita",
        contact_phone="081234567890",
        days=(datetime.date(2024, 3, 27), datetime.date(2024, 3, 28)),
    )
    event.days.update(start_time=datetime.time(8, 30), end_time=datetime.time(15))
    return event


def test_the_event_form_sets_every_days_hours(client, dinas):
    client.force_login(dinas)
    city = dinas.profile.cities.get()
    data = event_data(city=city.pk, start_time="07:30", end_time="12:00")
    assert client.post(reverse("training:create"), data).status_code == 302
    hours = set(EventDay.objects.values_list("start_time", "end_time"))
    assert hours == {(datetime.time(7, 30), datetime.time(12))}


def test_an_event_ending_before_it_starts_is_refused_next_to_the_field(client, dinas):
    client.force_login(dinas)
    city = dinas.profile.cities.get()
    data = event_data(city=city.pk, start_time="16:00", end_time="08:00", contact_phone="12")
    page = client.post(reverse("training:create"), data).content.decode()
    assert "Jam selesai harus sesudah jam mulai." in page
    assert "Nomor telepon tidak dikenali" in page
    assert 'value="16:00"' in page and "data-error-summary" in page
    assert not EventDay.objects.exists()


def test_the_page_and_invitation_give_hours_and_whom_to_call(client, dinas, timed_event):
    client.force_login(dinas)
    page = " ".join(client.get(timed_event.get_absolute_url()).content.decode().split())
    assert "Rabu, 27 Maret 2024, 08.30–15.00 WIB" in page
    assert "Yuniarlita" in page and 'href="tel:081234567890"' in page
    invitation = page.split("wa.me/?text=")[1]
    assert "pukul%2008.30%E2%80%9315.00%20WIB" in invitation
    assert "Narahubung%3A%20Yuniarlita%20081234567890" in invitation


def test_the_events_ics_has_each_day_timed_in_the_local_time_zone(client, dinas, timed_event):
    client.force_login(dinas)
    response = client.get(reverse("training:calendar", args=[timed_event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    entries = calendar.walk("VEVENT")
    assert [(e["dtstart"].dt, e["dtend"].dt) for e in entries] == [
        (at(27, 8, 30), at(27, 15)),
        (at(28, 8, 30), at(28, 15)),
    ]
    assert all(e["dtstart"].params["TZID"] == "Asia/Jakarta" for e in entries)
    assert str(entries[0]["location"]) == "Aula Dinas"
    assert "Narahubung: Yuniarlita 081234567890" in str(entries[0]["description"])
    assert f"http://testserver{timed_event.get_absolute_url()}" in str(entries[0]["description"])


def test_the_personal_feed_gives_events_at_their_hours(client, dinas):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    event = make_event(title="Lokakarya Segera", days=(soon,))
    event.days.update(start_time=datetime.time(13), end_time=datetime.time(17, 30))
    calendar = Calendar.from_ical(client.get(feed_address(client, dinas)).content)
    [entry] = [e for e in calendar.walk("VEVENT") if str(e["summary"]) == "Lokakarya Segera"]
    assert entry["dtstart"].dt == datetime.datetime.combine(soon, datetime.time(13), WIB)
    assert entry["dtend"].dt == datetime.datetime.combine(soon, datetime.time(17, 30), WIB)
    assert calendar.walk("VTIMEZONE")


def test_a_google_calendar_link_per_day_fills_in_the_day(client, dinas, timed_event):
    client.force_login(dinas)
    page = client.get(timed_event.get_absolute_url())
    links = [url for _day, url in page.context["google_links"]]
    assert len(links) == 2
    query = parse_qs(urlparse(links[0]).query)
    assert query["dates"] == ["20240327T083000/20240327T150000"]
    assert query["ctz"] == ["Asia/Jakarta"] and query["text"] == ["Bimtek Pengelola"]
    assert links[0].replace("&", "&amp;") in page.content.decode()


def test_a_change_of_hours_is_in_the_events_history(client, dinas):
    event = make_event(days=())
    for hours in ((datetime.time(8, 30), datetime.time(15)), (datetime.time(9), datetime.time(15))):
        services.event_set_days(
            event=event,
            first_day=datetime.date(2024, 3, 27),
            last_day=datetime.date(2024, 3, 28),
            hours=hours,
        )
    client.force_login(dinas)
    page = client.get(reverse("training:history", args=[event.pk])).content.decode()
    assert "Hari kegiatan Rabu, 27 Mar 2024 dibuat" in page
    assert "Jam mulai: <del>8.30</del> → <ins>9.00</ins>" in page


def test_a_check_in_is_late_an_hour_after_the_days_start(timed_event, dinas):
    registration = services.registration_create(
        event=timed_event, person=make_person(), category="pengelola"
    )
    at = datetime.datetime(2024, 3, 27, 9, 30, tzinfo=WIB)  # 08.30 + 1 hour
    services.attendance_check_in(event=timed_event, code=registration.checkin_code, by=dinas, at=at)
    assert Attendance.objects.get().status == "hadir"
    later = at + datetime.timedelta(minutes=1)
    services.attendance_check_in(
        event=timed_event, code=registration.checkin_code, by=dinas, at=later
    )
    assert Attendance.objects.get().status == "terlambat"


# -- the door ---------------------------------------------------------------------------------


def door_post(client, event, **fields):
    data = {"category": "undangan", **fields}
    return client.post(reverse("training:register", args=[event.pk]), data)


def test_a_walk_in_is_saved_and_registered_in_one_step(client, dinas):
    event = make_event()
    client.force_login(dinas)
    response = door_post(
        client, event, **{"baru-name": "Siti Baru", "baru-sex": "P", "baru-phone": "0812-1111-2222"}
    )
    assert response.status_code == 302
    person = Person.objects.get(name="Siti Baru")
    assert person.phone == "081211112222" and person.city == event.city
    assert Registration.objects.get().person == person
    assert person.history.get().history_user == dinas


def test_a_walk_in_whose_registration_is_refused_is_not_saved_either(client, dinas):
    event = make_event(status="done")  # registrations closed
    client.force_login(dinas)
    page = door_post(client, event, **{"baru-name": "Siti Baru", "baru-sex": "P"})
    assert "sudah selesai" in page.content.decode()
    assert not Person.objects.filter(name="Siti Baru").exists()
    assert 'value="Siti Baru"' in page.content.decode()  # kept, to try again


def test_the_door_asks_for_a_person_or_a_newcomer(client, dinas):
    event = make_event()
    client.force_login(dinas)
    page = door_post(client, event).content.decode()
    assert "Pilih orang dari hasil pencarian, atau isi data orang baru" in page
    assert not Registration.objects.exists()


def test_the_door_finds_people_by_name_and_says_who_is_registered(client, dinas):
    event = make_event()
    services.registration_create(
        event=event, person=make_person(name="Rahmat Terdaftar"), category="pokja"
    )
    make_person(name="Rahmat Belum")
    make_person(name="Rahmat Pasuruan", city_code="35.75")  # another city's
    client.force_login(dinas)
    url = reverse("training:register_search", args=[event.pk])
    fragment = client.get(url, {"q": "rahmat"}).content.decode()
    assert "Rahmat Belum" in fragment and "Rahmat Pasuruan" not in fragment
    assert fragment.count("disabled") == 1 and "Sudah terdaftar" in fragment
    nobody = client.get(url, {"q": "Zainab"}).content.decode()
    assert 'data-no-match="Zainab"' in nobody
    page = client.get(reverse("training:register", args=[event.pk]), {"q": "Zainab"})
    assert page.context["newcomer_open"] and 'value="Zainab"' in page.content.decode()


def test_the_check_in_page_counts_today_and_checks_in_by_name(client, dinas):
    event = make_event(days=(timezone.localdate(),))
    ani, budi = (
        services.registration_create(event=event, person=make_person(name=name), category="pokja")
        for name in ("Ani", "Budi")
    )
    client.force_login(dinas)
    url = reverse("training:checkin", args=[event.pk])
    page = " ".join(client.get(url).content.decode().split())
    assert "<strong data-present-count>0</strong>/2 hadir hari ini" in page
    assert client.post(url, {"code": budi.checkin_code}).status_code == 302
    page = " ".join(client.get(url).content.decode().split())
    assert "<strong data-present-count>1</strong>/2 hadir hari ini" in page
    assert f'value="{ani.checkin_code}"' in page and f'value="{budi.checkin_code}"' not in page


def test_the_check_in_page_of_another_day_says_so(client, dinas):
    event = make_event(days=(timezone.localdate() + datetime.timedelta(days=5),))
    client.force_login(dinas)
    page = client.get(reverse("training:checkin", args=[event.pk])).content.decode()
    assert "Hari ini bukan hari kegiatan ini" in page and "data-present-count" not in page
