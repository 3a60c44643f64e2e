"""The door of an event on its day: a walk-in found by name or, when nobody matches,
added and registered in one step, then checked in by name while today's count
rises."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_event, make_person
from training import services
from training.models import Attendance, Registration
from villages.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def today_event():
    event = make_event(title="Sosialisasi Kampung KB", days=(timezone.localdate(),))
    for name in ("Ani Lestari", "Budi Santoso"):
        services.registration_create(event=event, person=make_person(name=name), category="pokja")
    return event


def test_a_walk_in_is_added_registered_and_checked_in_by_name(browse, dinas_user, today_event):
    event = today_event
    make_person(name="Rahmat Hidayat")  # someone else, found by the search
    page = browse.page
    browse.sign_in("dinas.pontianak")

    browse.go(f"/pelatihan/{event.pk}/peserta/baru/")
    page.get_by_label("Nama peserta").fill("Rahmat")
    expect(page.get_by_role("radio", name=re.compile("Rahmat Hidayat"))).to_be_visible()
    page.get_by_label("Nama peserta").fill("Siti Walkin")
    expect(page.get_by_text("Tidak ada yang bernama “Siti Walkin”")).to_be_visible()
    newcomer = page.locator("#door-newcomer")
    expect(newcomer.get_by_label("Nama")).to_have_value("Siti Walkin")  # carried over
    newcomer.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    newcomer.get_by_label("Telepon").fill("0812 3456 7890")
    newcomer.get_by_label("Jabatan / instansi").fill("Kader PKK RW 03")
    page.get_by_label("Kategori").select_option(label="Undangan")
    browse.submit("Daftarkan")
    expect(page.get_by_text("Siti Walkin didaftarkan.")).to_be_visible()
    walk_in = Person.objects.get(name="Siti Walkin")
    assert walk_in.phone == "081234567890" and walk_in.city == event.city
    assert Registration.objects.get(person=walk_in).category == "undangan"

    browse.go(f"/pelatihan/{event.pk}/check-in/")
    count = page.locator("[data-present-count]")
    expect(count).to_have_text("0")
    expect(page.get_by_text("/3 hadir hari ini")).to_be_visible()
    page.get_by_label("Cari nama peserta").fill("walk")
    expect(page.locator("[data-roster-row]:visible")).to_have_count(1)
    page.get_by_role("button", name="Hadir: Siti Walkin").click()
    expect(count).to_have_text("1")
    expect(page.locator("[data-roster-row]", has_text="Siti Walkin")).to_contain_text("Hadir")
    page.get_by_label("Cari nama peserta").fill("")
    page.get_by_role("button", name="Hadir: Ani Lestari").click()
    expect(count).to_have_text("2")
    present = Attendance.objects.filter(
        registration__event=event, status__in=Attendance.PRESENT_STATUSES
    )
    names = present.values_list("registration__person__name", flat=True)
    for _ in range(60):  # the marks go to the server from the phone's queue
        if names.count() == 2:
            break
        page.wait_for_timeout(500)
    assert sorted(names) == ["Ani Lestari", "Siti Walkin"]
    browse.go(f"/pelatihan/{event.pk}/check-in/")  # what the server holds, after a reload
    expect(count).to_have_text("2")


def test_a_namesake_at_the_door_is_asked_about_before_a_second_is_made(
    browse, dinas_user, today_event
):
    page = browse.page
    browse.sign_in("dinas.pontianak")
    browse.go(f"/pelatihan/{today_event.pk}/peserta/baru/")
    newcomer = page.locator("#door-newcomer")
    newcomer.locator("summary").click()
    newcomer.get_by_label("Nama").fill("Ani Lestari")  # as someone already in the data
    newcomer.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    page.get_by_label("Kategori").select_option(label="Undangan")
    browse.submit("Daftarkan")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Sudah ada orang bernama Ani Lestari")
    assert Person.objects.filter(name="Ani Lestari").count() == 1
    newcomer.get_by_label("Saya sudah memeriksa").check()
    browse.submit("Daftarkan")
    expect(page.get_by_text("Ani Lestari didaftarkan.")).to_be_visible()
    assert Person.objects.filter(name="Ani Lestari").count() == 2
