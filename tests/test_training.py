"""Training: registration with waitlist, substitutes, bulk registration, attendance,
the category summary, certificates, PDFs and spreadsheets."""

import datetime
import importlib
from io import BytesIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from training import services
from training.models import Attendance, Registration, TrainingEvent
from villages.models import Agency, Manager, Pokja, PokjaMember

from .conftest import SIGNED_IN
from .documents import pdf_text, qr_codes
from .factories import make_event, make_person, make_village

pytestmark = pytest.mark.django_db
Category = Registration.Category
Status = Registration.Status


def register(event, person=None, category=Category.PENGELOLA):
    return services.registration_create(
        event=event, person=person or make_person(), category=category
    )


# -- registration -------------------------------------------------------------------


def test_over_capacity_goes_to_the_waitlist_and_a_cancellation_promotes_the_first():
    event = make_event(capacity=2)
    first, second = register(event), register(event)
    third, fourth = register(event), register(event)
    assert [r.status for r in (first, second, third, fourth)] == [
        Status.REGISTERED,
        Status.REGISTERED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    promoted = services.registration_cancel(registration=first)
    assert promoted == third
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == (Status.REGISTERED, Status.WAITLISTED)
    assert third.history.first().history_change_reason == "naik dari daftar tunggu"


def test_cancelling_a_waitlisted_registration_promotes_nobody():
    event = make_event(capacity=1)
    register(event)
    waiting = register(event)
    assert services.registration_cancel(registration=waiting) is None


def test_speakers_do_not_take_participant_seats():
    event = make_event(capacity=1)
    register(event)
    speaker = register(event, category=Category.NARASUMBER)
    assert speaker.status == Status.REGISTERED
    assert services.seats_taken(event) == 1


def test_the_same_person_cannot_register_twice():
    event = make_event()
    person = make_person()
    register(event, person)
    with pytest.raises(ValidationError):
        register(event, person)


def test_substitute_attends_and_both_are_kept():
    event = make_event()
    registration = register(event, make_person(name="Camat Gadingrejo"))
    substitute = make_person(name="Sekcam Gadingrejo")
    services.registration_substitute(registration=registration, substitute=substitute)
    registration.refresh_from_db()
    assert registration.person.name == "Camat Gadingrejo"
    assert registration.attendee == substitute


def test_substitute_must_be_someone_else_not_already_registered():
    event = make_event()
    registration = register(event)
    other = register(event)
    with pytest.raises(ValidationError):
        services.registration_substitute(registration=registration, substitute=registration.person)
    with pytest.raises(ValidationError):
        services.registration_substitute(registration=registration, substitute=other.person)


def test_registration_view_warns_when_the_event_is_full(client, dinas):
    event = make_event(capacity=1)
    register(event)
    client.force_login(dinas)
    response = client.post(
        reverse("training:register", args=[event.pk]),
        {"person": make_person().pk, "category": "pengelola"},
        follow=True,
    )
    [message] = [str(m) for m in response.context["messages"]]
    assert message.endswith("masuk daftar tunggu.")  # one message, saying what happened
    assert event.registrations.filter(status=Status.WAITLISTED).count() == 1


def test_cancel_view_reports_who_moved_up(client, dinas):
    event = make_event(capacity=1)
    first = register(event)
    register(event, make_person(name="Rina Menunggu"))
    client.force_login(dinas)
    response = client.post(reverse("training:cancel", args=[event.pk, first.pk]), follow=True)
    assert "Rina Menunggu naik dari daftar tunggu" in response.content.decode()


# -- bulk registration ------------------------------------------------------------------


def add_managers(village, count):
    for _ in range(count):
        Manager.objects.create(
            kampung=village,
            person=make_person(),
            role="seksi_agama",
            start_date=datetime.date(2017, 1, 1),
        )


def test_bulk_registers_current_managers_of_chosen_kecamatan_once():
    event = make_event(capacity=50)
    add_managers(make_village("61.71.05.1001"), 3)  # Pontianak Kota
    add_managers(make_village("61.71.03.1004"), 2)  # Pontianak Barat
    add_managers(make_village("61.71.01.1002"), 4)  # Pontianak Selatan: not chosen
    past = make_village("61.71.05.1002")
    Manager.objects.create(
        kampung=past,
        person=make_person(),
        role="ketua",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2016, 1, 1),
    )
    districts = event.city.districts.filter(code__in=["61.71.05", "61.71.03"])
    result = services.registrations_bulk_managers(event=event, districts=districts)
    assert (result.added, result.waitlisted, result.skipped) == (5, 0, 0)
    again = services.registrations_bulk_managers(event=event, districts=districts)
    assert (again.added, again.waitlisted, again.skipped) == (0, 0, 5)
    assert event.registrations.count() == 5


def test_bulk_over_capacity_waitlists_the_rest():
    event = make_event(capacity=2)
    add_managers(make_village("61.71.05.1001"), 3)
    result = services.registrations_bulk_managers(
        event=event, districts=event.city.districts.filter(code="61.71.05")
    )
    assert (result.added, result.waitlisted) == (2, 1)


def test_bulk_registers_pokja_members_with_their_agency(client, dinas):
    village = make_village()
    kelurahan = village.kelurahan
    pokja = Pokja.objects.create(
        level="kelurahan",
        city=kelurahan.district.city,
        district=kelurahan.district,
        kelurahan=kelurahan,
    )
    for abbreviation in ("DINKES", "PKK"):
        PokjaMember.objects.create(
            pokja=pokja,
            person=make_person(),
            agency=_agency(abbreviation),
            term_start=datetime.date(2020, 1, 1),
        )
    event = make_event()
    client.force_login(dinas)
    response = client.post(
        reverse("training:register_bulk", args=[event.pk]),
        {"which": "pokja", "pokja": [pokja.pk]},
        follow=True,
    )
    assert "2 didaftarkan" in response.content.decode()
    assert set(event.registrations.values_list("agency__abbreviation", flat=True)) == {
        "DINKES",
        "PKK",
    }


def _agency(abbreviation):
    return Agency.objects.get(abbreviation=abbreviation)


# -- attendance ---------------------------------------------------------------------------


TWO_DAYS = (datetime.date(2020, 12, 28), datetime.date(2020, 12, 29))


def grid_post(event, status_for):
    days = list(event.days.all())
    return {
        f"a-{r.pk}-{d.pk}": status_for(i, j)
        for i, r in enumerate(event.registrations.filter(status=Status.REGISTERED))
        for j, d in enumerate(days)
    }


def test_attendance_is_kept_per_day_with_every_status(client, dinas):
    event = make_event(days=TWO_DAYS)
    registrations = [register(event) for _ in range(5)]
    statuses = list(Attendance.Status)
    client.force_login(dinas)
    response = client.post(
        reverse("training:attendance", args=[event.pk]),
        grid_post(event, lambda i, j: statuses[(i + j) % 5]),
    )
    assert response.status_code == 302
    day1, day2 = event.days.all()
    assert Attendance.objects.get(registration=registrations[0], day=day1).status == "hadir"
    assert Attendance.objects.get(registration=registrations[0], day=day2).status == "terlambat"
    assert Attendance.objects.get(registration=registrations[4], day=day1).status == "alpa"
    assert Attendance.objects.filter(recorded_by=dinas).count() == 10


def test_clearing_a_cell_removes_its_attendance(client, dinas):
    event = make_event()
    registration = register(event)
    day = event.days.get()
    Attendance.objects.create(registration=registration, day=day, status="hadir")
    client.force_login(dinas)
    client.post(
        reverse("training:attendance", args=[event.pk]), {f"a-{registration.pk}-{day.pk}": ""}
    )
    assert not Attendance.objects.exists()


def test_attendance_on_a_day_outside_the_event_is_refused():
    event = make_event()
    other = make_event()
    registration = register(event)
    with pytest.raises(ValidationError):
        services.attendance_save_grid(
            event=event, marks={(registration.pk, other.days.get().pk): "hadir"}, by=None
        )
    assert not Attendance.objects.exists()


def test_unknown_status_is_refused_with_a_message(client, dinas):
    event = make_event()
    registration = register(event)
    client.force_login(dinas)
    response = client.post(
        reverse("training:attendance", args=[event.pk]),
        {f"a-{registration.pk}-{event.days.get().pk}": "bolos"},
        follow=True,
    )
    assert "tidak dikenal" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.fixture
def lokakarya():
    """A 155-person, two-day event."""
    event = make_event(days=TWO_DAYS, capacity=155)
    people = [make_person() for _ in range(155)]
    Registration.objects.bulk_create(
        [
            Registration(event=event, person=p, category="pokja", checkin_code=f"C{i:04d}")
            for i, p in enumerate(people)
        ]
    )
    return event


def sqlite_batches(rows, columns):
    """Extra INSERTs where the database caps the parameters of one query (SQLite: 999)."""
    limit = connection.features.max_query_params
    return 0 if not limit else -(-rows // (limit // columns)) - 1


#: Attendance rows have 5 columns, their history rows 10.
GRID_BATCHES = sqlite_batches(310, 5) + sqlite_batches(310, 10)


def test_saving_the_155_by_2_grid_takes_few_queries(
    client, dinas, lokakarya, django_assert_max_num_queries
):
    client.force_login(dinas)
    data = grid_post(lokakarya, lambda i, j: "hadir" if (i + j) % 7 else "izin")
    # the session, the user with their role and cities, the event, days,
    # registrations, then in the service: savepoint, the event's lock, valid days,
    # valid registrations, existing cells, one bulk insert, one history insert,
    # release; then the session keeps the success message (3). The same for 10
    # people or 155.
    with django_assert_max_num_queries(16 + GRID_BATCHES):
        response = client.post(reverse("training:attendance", args=[lokakarya.pk]), data)
    assert response.status_code == 302
    assert Attendance.objects.count() == 310


def test_attendance_service_saves_the_grid_in_ten_queries(lokakarya, django_assert_max_num_queries):
    registrations = list(lokakarya.registrations.all())
    days = list(lokakarya.days.all())
    marks = {(r.pk, d.pk): "hadir" for r in registrations for d in days}
    with django_assert_max_num_queries(10 + GRID_BATCHES):
        services.attendance_save_grid(event=lokakarya, marks=marks, by=None)
    marks = dict.fromkeys(marks, "terlambat")
    with django_assert_max_num_queries(10 + GRID_BATCHES):
        services.attendance_save_grid(event=lokakarya, marks=marks, by=None)
    assert Attendance.objects.filter(status="terlambat").count() == 310


def test_the_grid_page_takes_few_queries(client, dinas, lokakarya, django_assert_max_num_queries):
    client.force_login(dinas)
    # what every signed-in page reads, the event, days, registrations, attendance cells
    with django_assert_max_num_queries(SIGNED_IN + 4):
        response = client.get(reverse("training:attendance", args=[lokakarya.pk]))
    assert response.content.decode().count('name="a-') == 310


def test_qr_check_in_marks_today(client, dinas, settings):
    event = make_event(days=(timezone.localdate(),))  # the city's today, not the machine's
    registration = register(event, make_person(name="Siti Hadir"))
    client.force_login(dinas)
    response = client.post(
        reverse("training:checkin", args=[event.pk]),
        {"code": registration.checkin_code.lower()},
        follow=True,
    )
    assert "Siti Hadir" in response.content.decode()
    assert Attendance.objects.get(registration=registration).status in ("hadir", "terlambat")


def test_check_in_with_an_unknown_code_says_so(client, dinas):
    event = make_event(days=(timezone.localdate(),))
    client.force_login(dinas)
    response = client.post(reverse("training:checkin", args=[event.pk]), {"code": "PALSU"})
    assert "tidak terdaftar" in str(response.context["form"].errors["code"])


def test_check_in_outside_the_event_days_is_refused(client, dinas):
    event = make_event(days=(datetime.date(2020, 1, 1),))
    registration = register(event)
    client.force_login(dinas)
    response = client.post(
        reverse("training:checkin", args=[event.pk]), {"code": registration.checkin_code}
    )
    assert "bukan hari kegiatan" in str(response.context["form"].errors["code"])


# -- certificates and documents -----------------------------------------------------------


def attended_event(names):
    event = make_event(code="LOKA-UJI", days=TWO_DAYS)
    day = event.days.first()
    for name in names:
        registration = register(event, make_person(name=name))
        Attendance.objects.create(registration=registration, day=day, status="hadir")
    return event


def test_certificates_are_numbered_sequentially_for_those_who_attended():
    event = attended_event(["Budi", "Ani"])
    register(event, make_person(name="Tidak Hadir"))
    assert services.certificates_issue(event=event) == 2
    numbers = dict(event.registrations.values_list("person__name", "certificate_number"))
    assert numbers == {
        "Ani": "001/KKB/LOKA-UJI/2020",
        "Budi": "002/KKB/LOKA-UJI/2020",
        "Tidak Hadir": None,
    }
    late = register(event, make_person(name="Citra"))
    Attendance.objects.create(registration=late, day=event.days.last(), status="terlambat")
    assert services.certificates_issue(event=event) == 1
    late.refresh_from_db()
    assert late.certificate_number == "003/KKB/LOKA-UJI/2020"


def test_verification_confirms_a_real_certificate_without_personal_data(client, dinas):
    event = attended_event(["Ani Lestari"])
    event.registrations.update(substitute=None)
    person = event.registrations.get().person
    person.phone, person.nik = "081299998888", "6171054101900001"
    person.save()
    services.certificates_issue(event=event)
    client.force_login(dinas)
    certificate = client.get(reverse("training:certificates_pdf", args=[event.pk])).content
    [address] = qr_codes(certificate)
    code = event.registrations.get().printed_certificate_code
    assert f"Kode pemeriksaan: {code}" in pdf_text(certificate)
    client.logout()
    response = client.get(address.removeprefix("http://testserver"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sertifikat sah" in page and "Ani Lestari" in page and event.title in page
    assert "081299998888" not in page and "6171054101900001" not in page
    assert reverse("villages:list") not in page  # no navigation for the signed-out visitor
    # The code as typed from paper, with its dash and in small letters, works too.
    typed = client.get(reverse("training:verify"), {"kode": code.lower()})
    assert "Sertifikat sah" in typed.content.decode()


def test_sequential_numbers_name_nobody_and_guessing_is_held_back(client):
    event = attended_event([f"Peserta {n}" for n in range(5)])
    services.certificates_issue(event=event)
    names = list(event.registrations.values_list("person__name", flat=True))
    url = reverse("training:verify")
    answers = [client.get(url, {"nomor": f"{n:03d}/KKB/LOKA-UJI/2020"}) for n in range(1, 401)]
    assert {a.status_code for a in answers} == {200}
    assert not any(name in a.content.decode() for a in answers for name in names)
    assert "Nomor sertifikat saja tidak cukup" in answers[0].content.decode()
    guesses = [client.get(url, {"kode": f"{n:010d}"}) for n in range(25)]
    assert [g.status_code for g in guesses] == [200] * 20 + [429] * 5
    assert "Terlalu banyak kode" in guesses[-1].content.decode()
    assert not any(name in g.content.decode() for g in guesses for name in names)


def test_a_cancelled_registrations_certificate_is_not_valid(client):
    event = attended_event(["Ani Lestari"])
    services.certificates_issue(event=event)
    registration = event.registrations.get()
    services.registration_cancel(registration=registration)
    registration.refresh_from_db()
    response = client.get(reverse("training:verify"), {"kode": registration.certificate_code})
    page = response.content.decode()
    assert "Sertifikat tidak berlaku" in page
    assert "Sertifikat sah" not in page and "Ani Lestari" not in page


def test_verification_of_a_forged_code_says_not_found(client):
    response = client.get(reverse("training:verify"), {"kode": "ABCDE-FGHJK"})
    assert "Tidak ada sertifikat dengan kode ABCDEFGHJK" in response.content.decode()


def test_certificates_issued_before_codes_get_one_by_the_migration():
    migration = importlib.import_module("training.migrations.0005_certificate_code")
    event = attended_event(["Ani Lestari", "Budi"])
    services.certificates_issue(event=event)
    event.registrations.update(certificate_code=None)
    migration.give_issued_certificates_a_code(apps, None)
    codes = list(event.registrations.values_list("certificate_code", flat=True))
    assert len(set(codes)) == 2 and all(len(c) == 10 for c in codes)


def test_attendance_list_pdf_has_numbered_names_of_the_day(client, dinas):
    event = attended_event(["Yuniarlita", "Musa"])
    client.force_login(dinas)
    day = event.days.first()
    response = client.get(reverse("training:attendance_pdf", args=[event.pk]) + f"?hari={day.pk}")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "DAFTAR HADIR" in text and "Yuniarlita" in text and "Musa" in text
    assert "Senin, 28 Desember 2020" in text


def test_certificate_pdf_carries_the_number_and_name(client, dinas):
    event = attended_event(["Yuniarlita"])
    services.certificates_issue(event=event)
    client.force_login(dinas)
    text = pdf_text(client.get(reverse("training:certificates_pdf", args=[event.pk])).content)
    assert "SERTIFIKAT" in text and "Yuniarlita" in text and "001/KKB/LOKA-UJI/2020" in text


def test_participant_cards_carry_the_check_in_codes(client, dinas):
    event = attended_event(["Yuniarlita"])
    client.force_login(dinas)
    text = pdf_text(client.get(reverse("training:cards_pdf", args=[event.pk])).content)
    assert event.registrations.get().checkin_code in text


def test_participants_spreadsheet_lists_attendance_per_day(client, dinas):
    event = attended_event(["Yuniarlita"])
    client.force_login(dinas)
    response = client.get(reverse("training:participants_xlsx", args=[event.pk]))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "Yuniarlita"
    assert rows[1][-2:] == ("Hadir", None)  # the status in words


# -- events -------------------------------------------------------------------------------


def event_data(**overrides):
    return {
        "kind": "lokakarya",
        "title": "Lokakarya Kota",
        "code": "LOKA-1",
        "city": 0,
        "organiser": _agency("DP2KBP3A").pk,
        "venue": "Hotel Transit",
        "capacity": "155",
        "status": "draft",
        "first_day": "2020-12-28",
        "last_day": "2020-12-29",
        "start_time": "08:00",
        "end_time": "16:00",
        "certificate_min_days": "1",
        **overrides,
    }


def test_creating_an_event_makes_its_days(client, dinas):
    client.force_login(dinas)
    city = dinas.profile.cities.get()
    response = client.post(reverse("training:create"), event_data(city=city.pk))
    event = TrainingEvent.objects.get(code="LOKA-1")
    assert response.status_code == 302
    assert [d.date for d in event.days.all()] == list(TWO_DAYS)


def test_event_form_keeps_input_and_explains_bad_days(client, dinas):
    client.force_login(dinas)
    city = dinas.profile.cities.get()
    response = client.post(
        reverse("training:create"), event_data(city=city.pk, last_day="2020-12-01", capacity="0")
    )
    page = response.content.decode()
    assert "Hari terakhir tidak boleh sebelum hari pertama" in page
    assert 'value="Lokakarya Kota"' in page
    assert not TrainingEvent.objects.exists()


def test_next_phase_copies_the_event_for_other_kecamatan(client, dinas):
    event = make_event(
        districts=["61.71.03", "61.71.05"], programme="Bimtek 2018", phase=1,
        title="Bimtek Pengelola Kampung KB Tahap I",
    )  # fmt: skip
    client.force_login(dinas)
    url = reverse("training:next_phase", args=[event.pk])
    form = client.get(url).context["form"]
    assert form["title"].value() == "Bimtek Pengelola Kampung KB Tahap II"
    others = event.city.districts.exclude(code__in=["61.71.03", "61.71.05"])
    response = client.post(
        url,
        {
            "title": "Bimtek Pengelola Kampung KB Tahap II",
            "code": "bimtek-2",
            "first_day": "2018-04-24",
            "last_day": "2018-04-24",
            "districts": [d.pk for d in others],
        },
    )
    assert response.status_code == 302
    copy = TrainingEvent.objects.get(code="BIMTEK-2")
    assert (copy.phase, copy.programme, copy.status) == (2, "Bimtek 2018", "draft")
    assert copy.title == "Bimtek Pengelola Kampung KB Tahap II"
    assert copy.target_districts.count() == 4
    assert copy.registrations.count() == 0


def test_village_page_lists_trainings_of_its_managers_and_pokja(client, dinas):
    village = make_village()
    manager = make_person()
    Manager.objects.create(
        kampung=village, person=manager, role="ketua", start_date=datetime.date(2017, 1, 1)
    )
    kelurahan = village.kelurahan
    pokja = Pokja.objects.create(
        level="kelurahan",
        city=kelurahan.district.city,
        district=kelurahan.district,
        kelurahan=kelurahan,
    )
    member = make_person()
    PokjaMember.objects.create(
        pokja=pokja, person=member, agency=_agency("PKK"), term_start=datetime.date(2020, 1, 1)
    )
    bimtek = make_event(title="Bimtek Pengelola")
    lokakarya = make_event(title="Lokakarya Pokja")
    rembug = make_event(title="Rembug Kampung")
    other = make_event(title="Sosialisasi Lain")
    register(bimtek, manager)
    register(lokakarya, member, Category.POKJA)
    register(lokakarya, manager)
    on_behalf = register(rembug)  # someone else, representing the village
    on_behalf.kampung = village
    on_behalf.save()
    register(other)
    services.registration_cancel(registration=register(other, member))
    client.force_login(dinas)
    trainings = client.get(village.get_absolute_url()).context["trainings"]
    assert [(event.title, people) for event, people in trainings] == [
        ("Rembug Kampung", 1),  # the latest event first
        ("Lokakarya Pokja", 2),
        ("Bimtek Pengelola", 1),
    ]


def test_a_garbled_person_choice_is_an_error_not_a_crash(client, dinas):
    event = make_event()
    client.force_login(dinas)
    response = client.post(
        reverse("training:register", args=[event.pk]), {"person": ":", "category": "pengelola"}
    )
    assert response.status_code == 200
    assert "person" in response.context["form"].errors


def test_the_event_list_counts_each_registration_once_over_two_days(client, dinas, lokakarya):
    client.force_login(dinas)
    page = client.get(reverse("training:list")).content.decode()
    assert "155/155 peserta" in page
    assert "310/155" not in page
    page = client.get(reverse("training:list"), {"year": "2020"}).content.decode()
    assert "155/155 peserta" in page


def test_a_certificate_number_is_never_given_twice():
    event = attended_event(["Ani", "Budi", "Citra"])
    services.certificates_issue(event=event)
    last = event.registrations.get(person__name="Citra")
    services.registration_cancel(registration=event.registrations.get(person__name="Budi"))
    last.delete()  # the highest number, deleted with its registration
    late = register(event, make_person(name="Dewi"))
    Attendance.objects.create(registration=late, day=event.days.first(), status="hadir")
    services.certificates_issue(event=event)
    late.refresh_from_db()
    assert late.certificate_number == "004/KKB/LOKA-UJI/2020"


def test_the_next_phase_form_marks_kecamatan_another_phase_covers(client, dinas):
    first = make_event(
        code="BT-1",
        districts=["61.71.03"],
        programme="Bimtek 2018",
        phase=1,
        title="Bimtek Tahap I",
    )
    make_event(
        code="BT-2",
        districts=["61.71.05"],
        programme="Bimtek 2018",
        phase=2,
        title="Bimtek Tahap II",
    )
    client.force_login(dinas)
    page = client.get(reverse("training:next_phase", args=[first.pk])).content.decode()
    assert "Pontianak Kota — sudah dicakup Bimtek Tahap II" in page
    assert "sudah dicakup tahap lain program ini" in page
    assert "Pontianak Barat — sudah" not in page


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Bimtek Tahap I", "Bimtek Tahap II"),
        ("Bimtek Tahap 3", "Bimtek Tahap IV"),
        ("Lokakarya Kota", "Lokakarya Kota Tahap II"),
    ],
)
def test_the_next_phase_title_carries_the_next_number(title, expected):
    phase = 3 if title.endswith("3") else 1
    assert TrainingEvent(title=title, phase=phase).next_phase_title() == expected
