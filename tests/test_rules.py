"""The event's rules hold on every write path: the app's pages and services, the
Django admin's add and change forms, and the model's own validation. Each refusal
says why in Bahasa Indonesia and saves nothing; the allowed path still works."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from training import services
from training.models import Attendance, Registration, TrainingEvent

from .factories import make_event, make_person
from .forms import admin_url, page_form_data

pytestmark = pytest.mark.django_db

OTHER_DAY = "Hari itu bukan hari kegiatan peserta ini."
FINISHED = "Kegiatan ini sudah selesai"


@pytest.fixture
def two_events():
    event = make_event(code="ACARA-1", days=(datetime.date(2024, 3, 27),))
    other = make_event(code="ACARA-2", city_code="35.75", days=(datetime.date(2025, 1, 9),))
    registration = services.registration_create(
        event=event, person=make_person(), category="pengelola"
    )
    return event, other, registration


# -- attendance only on a day of the registration's own event ---------------------------


def test_the_grid_refuses_a_cell_of_another_events_day_and_saves_nothing(client, dinas, two_events):
    event, other, registration = two_events
    own, foreign = event.days.get(), other.days.get()
    client.force_login(dinas)
    url = reverse("training:attendance", args=[event.pk])
    response = client.post(
        url,
        {f"a-{registration.pk}-{own.pk}": "hadir", f"a-{registration.pk}-{foreign.pk}": "hadir"},
        follow=True,
    )
    assert "tidak ada yang disimpan" in response.content.decode()
    assert not Attendance.objects.exists()
    assert client.get(url, {"hari": foreign.pk}).status_code == 404
    assert client.get(url, {"hari": "bukan-hari"}).status_code == 404
    client.post(url, {f"a-{registration.pk}-{own.pk}": "hadir"})  # the allowed path
    assert Attendance.objects.get().day == own


def test_the_admin_refuses_attendance_on_another_events_day(admin_client, two_events):
    event, other, registration = two_events
    add = reverse("admin:training_attendance_add")
    data = {**page_form_data(admin_client.get(add)), "registration": registration.pk}
    response = admin_client.post(add, {**data, "day": other.days.get().pk, "status": "hadir"})
    assert OTHER_DAY in response.content.decode()
    assert not Attendance.objects.exists()
    allowed = admin_client.post(add, {**data, "day": event.days.get().pk, "status": "hadir"})
    assert allowed.status_code == 302, allowed.context["adminform"].form.errors
    attendance = Attendance.objects.get()
    change = admin_url(attendance)
    data = page_form_data(admin_client.get(change))
    response = admin_client.post(change, {**data, "day": other.days.get().pk})
    assert OTHER_DAY in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.day == event.days.get()


def test_the_model_refuses_attendance_on_another_events_day(two_events):
    _event, other, registration = two_events
    with pytest.raises(ValidationError) as refusal:
        Attendance(registration=registration, day=other.days.get(), status="hadir").full_clean()
    assert refusal.value.message_dict["day"] == [OTHER_DAY]


def test_one_attendance_per_registration_and_day_in_the_admin(admin_client, two_events):
    event, _other, registration = two_events
    Attendance.objects.create(registration=registration, day=event.days.get(), status="hadir")
    add = reverse("admin:training_attendance_add")
    data = {**page_form_data(admin_client.get(add)), "registration": registration.pk}
    response = admin_client.post(add, {**data, "day": event.days.get().pk, "status": "izin"})
    assert response.status_code == 200
    assert Attendance.objects.get().status == "hadir"


# -- no registration or cancellation once the event is over ------------------------------


@pytest.fixture
def finished(two_events):
    event, _other, registration = two_events
    event.status = TrainingEvent.Status.DONE
    event.save()
    return event, registration


def test_the_pages_refuse_to_register_or_cancel_on_a_finished_event(client, dinas, finished):
    event, registration = finished
    client.force_login(dinas)
    newcomer = make_person(name="Datang Terlambat")
    response = client.post(
        reverse("training:register", args=[event.pk]),
        {"person": newcomer.pk, "category": "pengelola"},
    )
    assert FINISHED in response.content.decode()
    response = client.post(
        reverse("training:cancel", args=[event.pk, registration.pk]), follow=True
    )
    assert FINISHED in response.content.decode()
    response = client.post(
        reverse("training:substitute", args=[event.pk, registration.pk]),
        {"substitute": newcomer.pk},
    )
    assert FINISHED in response.content.decode()
    response = client.post(
        reverse("training:register_bulk", args=[event.pk]),
        {"which": "managers", "districts": [event.city.districts.first().pk]},
    )
    assert FINISHED in response.content.decode()
    registration.refresh_from_db()
    assert (registration.status, registration.substitute) == (Registration.Status.REGISTERED, None)
    assert event.registrations.count() == 1


def test_reopening_the_event_is_in_its_history_and_lets_registration_go_on(client, dinas, finished):
    event, _registration = finished
    client.force_login(dinas)
    edit = reverse("training:edit", args=[event.pk])
    data = {**page_form_data(client.get(edit)), "status": TrainingEvent.Status.OPEN}
    assert client.post(edit, data).status_code == 302
    assert "Selesai" in client.get(event.get_absolute_url()).content.decode()  # history row
    response = client.post(
        reverse("training:register", args=[event.pk]),
        {"person": make_person().pk, "category": "pengelola"},
    )
    assert response.status_code == 302
    assert event.registrations.count() == 2


def admin_registration_form(admin_client, event):
    """The admin's add-registration page, and its data filled for a new participant."""
    add = reverse("admin:training_registration_add")
    data = {
        **page_form_data(admin_client.get(add)),
        "event": event.pk,
        "person": make_person().pk,
        "category": "pengelola",
        "status": "registered",
    }
    return add, data


def test_the_admin_refuses_registrations_on_a_finished_event(admin_client, finished):
    event, registration = finished
    add, data = admin_registration_form(admin_client, event)
    assert FINISHED in admin_client.post(add, data).content.decode()
    assert event.registrations.count() == 1
    change = admin_url(registration)
    data = {**page_form_data(admin_client.get(change)), "status": "cancelled"}
    assert FINISHED in admin_client.post(change, data).content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_the_services_and_the_model_refuse_on_a_finished_event(finished):
    event, registration = finished
    for write in (
        lambda: services.registration_create(event=event, person=make_person(), category="lurah"),
        lambda: services.registration_cancel(registration=registration),
        lambda: services.registration_substitute(
            registration=registration, substitute=make_person()
        ),
    ):
        with pytest.raises(ValidationError, match=FINISHED):
            write()
    with pytest.raises(ValidationError, match=FINISHED):
        Registration(event=event, person=make_person(), category="lurah").full_clean()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


# -- capacity and waitlist -----------------------------------------------------------------


def test_the_admin_and_the_model_refuse_a_seat_past_capacity(admin_client, two_events):
    event, _other, _registration = two_events
    TrainingEvent.objects.filter(pk=event.pk).update(capacity=1)
    event.refresh_from_db()
    add, data = admin_registration_form(admin_client, event)
    assert "Kapasitas kegiatan sudah penuh" in admin_client.post(add, data).content.decode()
    assert event.registrations.count() == 1
    assert admin_client.post(add, {**data, "status": "waitlisted"}).status_code == 302
    with pytest.raises(ValidationError, match="Kapasitas kegiatan sudah penuh"):
        Registration(event=event, person=make_person(), category="lurah").full_clean()
    # A speaker takes no seat, and the service puts the next participant on the waitlist.
    Registration(event=event, person=make_person(), category="narasumber").full_clean()
    waiting = services.registration_create(event=event, person=make_person(), category="lurah")
    assert waiting.status == Registration.Status.WAITLISTED


def test_the_grid_of_an_event_without_days_yet_still_opens(client, dinas):
    event = make_event(days=())
    client.force_login(dinas)
    assert client.get(reverse("training:attendance", args=[event.pk])).status_code == 200


def test_a_seat_already_held_is_kept_when_the_capacity_was_lowered_since(two_events):
    event, _other, registration = two_events
    services.registration_create(event=event, person=make_person(), category="pengelola")
    TrainingEvent.objects.filter(pk=event.pk).update(capacity=1)  # now over capacity
    registration.event.refresh_from_db()
    services.registration_substitute(registration=registration, substitute=make_person())
    registration.refresh_from_db()
    assert registration.substitute is not None
