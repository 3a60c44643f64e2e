"""The personal calendar feed: what the holder may see, at an address they can
revoke."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coaching.models import CoachingPlan, CoachingVisit, Need
from training.models import TrainingEvent

from .factories import make_event, make_village

pytestmark = pytest.mark.django_db


def feed_address(client, user):
    client.force_login(user)
    client.post(reverse("accounts:calendar"), {"action": "buat"})
    page = client.get(reverse("accounts:calendar"))
    client.logout()
    return page.context["feed_url"].removeprefix("http://testserver")


def entries(client, address):
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e["dtstart"].dt for e in calendar.walk("VEVENT")}


@pytest.fixture
def area():
    soon = timezone.localdate() + datetime.timedelta(days=10)
    village = make_village("61.71.05.1001", name="Kampung KB Bangkong")
    plan = CoachingPlan.objects.create(
        kampung=village, month=soon.replace(day=1), planned_date=soon
    )
    done = CoachingPlan.objects.create(
        kampung=make_village("61.71.05.1002", name="Kampung KB Sudah"),
        month=soon.replace(day=1), planned_date=soon,
    )  # fmt: skip
    CoachingVisit.objects.create(kampung=done.kampung, plan=done, date=soon)
    Need.objects.create(kampung=village, category="data", description="Komputer", due_date=soon)
    make_event(code="PTK-KOTA", title="Bimtek Pontianak Kota", districts=["61.71.05"], days=(soon,))
    make_event(
        code="PTK-BARAT", title="Bimtek Pontianak Barat", districts=["61.71.03"], days=(soon,)
    )
    make_event(code="PSR", title="Lokakarya Pasuruan", city_code="35.75", days=(soon,))
    return soon, plan


def test_a_dinas_officer_sees_their_citys_events_plans_and_due_dates(client, dinas, area):
    soon, _plan = area
    shown = entries(client, feed_address(client, dinas))
    eight = timezone.make_aware(datetime.datetime.combine(soon, datetime.time(8)))
    assert shown == {
        "Bimtek Pontianak Kota": eight,  # at the hour the event starts
        "Bimtek Pontianak Barat": eight,
        "Pembinaan: Kampung KB Bangkong": soon,
        "Tenggat: Komputer (Kampung KB Bangkong)": soon,
    }  # no event of another city, no plan already visited


def test_a_camat_sees_only_what_is_aimed_at_their_kecamatan(client, camat, area):
    shown = entries(client, feed_address(client, camat))
    assert "Bimtek Pontianak Kota" in shown
    assert "Bimtek Pontianak Barat" not in shown and "Lokakarya Pasuruan" not in shown


def test_a_revoked_or_replaced_address_answers_404(client, dinas, area):
    first = feed_address(client, dinas)
    second = feed_address(client, dinas)  # a new address replaces the old
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.force_login(dinas)
    client.post(reverse("accounts:calendar"), {"action": "cabut"})
    client.logout()
    assert client.get(second).status_code == 404


def test_a_deactivated_users_address_answers_404(client, dinas, area):
    address = feed_address(client, dinas)
    dinas.is_active = False
    dinas.save()
    assert client.get(address).status_code == 404


def test_the_feed_follows_a_change_of_area(client, dinas, area):
    address = feed_address(client, dinas)
    dinas.profile.cities.clear()
    assert entries(client, address) == {}
    assert TrainingEvent.objects.count() == 3
