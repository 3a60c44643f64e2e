"""A record's page shows what happened to what hangs off it: an event's
registrations and attendance, a person's registrations and substitutions, a
village's managers and Pokja seats; with who, when and why, paged, in a number of
queries that does not grow with the history."""

import datetime

import pytest
from django.urls import reverse

from training import services
from training.models import Attendance, Registration
from villages.models import Agency, Manager, Pokja, PokjaMember

from .conftest import SIGNED_IN
from .factories import make_event, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def promoted_and_substituted():
    event = make_event(capacity=1)
    first = services.registration_create(
        event=event, person=make_person(name="Ani Pertama"), category="pengelola"
    )
    waiting = services.registration_create(
        event=event, person=make_person(name="Budi Menunggu"), category="pengelola"
    )
    services.registration_cancel(registration=first)
    stand_in = make_person(name="Citra Wakil")
    services.registration_substitute(registration=waiting, substitute=stand_in)
    Attendance.objects.create(registration=waiting, day=event.days.get(), status="hadir")
    return event, waiting, stand_in


def test_the_event_pages_show_promotion_and_substitution_with_their_reason(
    client, dinas, promoted_and_substituted
):
    event, waiting, _stand_in = promoted_and_substituted
    client.force_login(dinas)
    for url in (event.get_absolute_url(), reverse("training:history", args=[event.pk])):
        page = client.get(url).content.decode()
        assert "Pendaftaran Budi Menunggu diubah — naik dari daftar tunggu" in page, url
        assert "<del>Daftar tunggu</del> → <ins>Terdaftar</ins>" in page, url
        assert "Pendaftaran Ani Pertama diubah — dibatalkan" in page, url
        assert "Pendaftaran Budi Menunggu (diwakili Citra Wakil) diubah — diwakilkan" in page
        assert "Kehadiran Citra Wakil" in page, url


def test_the_person_page_shows_their_registrations_and_substitutions(
    client, dinas, promoted_and_substituted
):
    _event, waiting, stand_in = promoted_and_substituted
    client.force_login(dinas)
    represented = client.get(reverse("overview:person", args=[waiting.person.pk])).content.decode()
    assert "naik dari daftar tunggu" in represented
    page = client.get(reverse("overview:person", args=[stand_in.pk])).content.decode()
    assert "diwakilkan" in page and "mewakili Budi Menunggu" in page


def test_the_village_history_shows_appointments_and_endings(client, dinas, village_sungaibangkong):
    village = village_sungaibangkong
    manager = Manager.objects.create(
        kampung=village, person=make_person(name="Dedi Ketua"), role="ketua",
        start_date=datetime.date(2020, 1, 1),
    )  # fmt: skip
    manager.end_date = datetime.date(2023, 12, 31)
    manager.save()
    pokja = Pokja.objects.create(
        level=Pokja.Level.KELURAHAN, city=village.city, district=village.kelurahan.district,
        kelurahan=village.kelurahan,
    )  # fmt: skip
    PokjaMember.objects.create(
        pokja=pokja, person=make_person(name="Eka Anggota"),
        agency=Agency.objects.get(abbreviation="DINKES"), term_start=datetime.date(2021, 1, 1),
    )  # fmt: skip
    client.force_login(dinas)
    page = client.get(reverse("villages:history", args=[village.pk])).content.decode()
    assert "Pengelola Dedi Ketua diubah" in page
    assert "Selesai: <del>—</del> → <ins>31 Des. 2023</ins>" in page  # the ending
    assert "Anggota Pokja Eka Anggota dibuat" in page
    assert (
        reverse("villages:history", args=[village.pk])
        in client.get(village.get_absolute_url()).content.decode()
    )


def grow_history(event, changes):
    """`changes` more history rows on the event's registrations and attendance."""
    registrations = [
        services.registration_create(event=event, person=make_person(), category="pokja")
        for _ in range(10)
    ]
    day = event.days.get()
    marks = [
        Attendance.objects.create(registration=r, day=day, status="hadir") for r in registrations
    ]
    statuses = ["izin", "sakit", "alpa", "hadir"]
    for n in range(changes - 20):
        mark = marks[n % len(marks)]
        mark.status = statuses[n % 4]
        mark.save()


@pytest.mark.parametrize("changes", [0, 200])
def test_history_pages_take_the_same_queries_with_0_or_200_rows(
    client, dinas, changes, django_assert_max_num_queries
):
    event = make_event(capacity=50)
    person = make_person()
    if changes:
        grow_history(event, changes)
        services.registration_create(event=event, person=person, category="lurah")
    assert Registration.history.count() + Attendance.history.count() >= changes
    client.force_login(dinas)
    # Each page: what every signed-in page reads, the record and what it shows (an
    # event's page: whether it has certificates, the days to print a daftar hadir
    # of), then the history: one query per kind of record (an event's days,
    # registrations and attendance) and per many-to-many field it keeps (an event's
    # kecamatan), and one for the records before the first rows where several
    # records' histories interleave.
    pages = {
        event.get_absolute_url(): SIGNED_IN + 15,
        reverse("training:history", args=[event.pk]): SIGNED_IN + 7,
        reverse("overview:person", args=[person.pk]): SIGNED_IN + 6,
    }
    for url, most in pages.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url
    second = client.get(reverse("training:history", args=[event.pk]), {"halaman": 2})
    assert second.status_code == 200
    assert "Lebih baru" in second.content.decode()


def test_a_reason_the_app_writes_is_kept_once_and_read_in_each_readers_language(client, dinas):
    from django.conf import settings

    event = make_event(capacity=1)
    first = services.registration_create(event=event, person=make_person(), category="lurah")
    services.registration_create(event=event, person=make_person(name="Gita"), category="lurah")
    client.force_login(dinas)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("training:cancel", args=[event.pk, first.pk]))
    assert Registration.history.filter(history_change_reason="dibatalkan").exists()
    english = client.get(event.get_absolute_url()).content.decode()
    assert "Registration of Gita changed — moved up from the waitlist" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(event.get_absolute_url()).content.decode()
    assert "Pendaftaran Gita diubah — naik dari daftar tunggu" in indonesian
