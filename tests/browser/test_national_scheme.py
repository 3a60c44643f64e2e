"""The national scheme in a browser: a dinas officer records a month's profile and an
activity with two agencies, sees the process index pass and the level rise, and
the lurah sees the same level, and the activity's photo, on a phone."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.factories import make_village, photo_bytes
from villages.models import ActivityPhoto, KampungKB, Level

from .conftest import OPERATIONS, ORGANISED, PHONE, Browser

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_activity_with_two_agencies_lifts_the_village(browse, dinas_user, browser, live_server):
    village = make_village("61.71.05.1001", name="Kampung KB Bangkong Berseri")
    make_user("lurah.sungaibangkong", "kelurahan", kelurahan=["61.71.05.1001"])
    page = browse.page
    browse.sign_in("dinas.pontianak")
    browse.go(village.get_absolute_url())
    # three operations of five: process (4 + 3 + cross-sector) / 3 passes with one agency
    browse.record_profile("2024-03", [*ORGANISED, *OPERATIONS[:3]], pokja_members=10, pus=200)

    process = page.get_by_role("region", name="Indeks Proses")
    expect(process).to_contain_text("2,67")  # data 4, operations 3, no agency: 1
    expect(process.get_by_text("libatkan 1 OPD lagi dalam kegiatan → skor 2")).to_be_visible()
    expect(page.locator(".badge.level-dasar").first).to_be_visible()

    page.get_by_role("link", name="Tambah kegiatan").click()
    page.get_by_label("Judul kegiatan").fill("Kelas BKB bersama puskesmas & sekolah")
    page.get_by_label("Tanggal").fill("2024-03-12")
    page.get_by_label("Tempat").fill("Balai RW 03 <Sungaibangkong>")
    page.get_by_label("Fungsi keluarga").select_option(label="Pendidikan")
    page.get_by_label("Keluarga dengan balita").check()
    page.get_by_label("DINKES — Dinas Kesehatan", exact=True).check()
    page.get_by_label("DISDIK — Dinas Pendidikan dan Kebudayaan", exact=True).check()
    page.locator("#id_foto-0-image").set_input_files(
        {"name": "kelas.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes(size=(320, 200))}
    )
    page.locator("#id_foto-0-caption").fill("Ibu dan balita di kelas BKB")
    browse.submit()
    expect(
        page.get_by_role("heading", name="Kelas BKB bersama puskesmas & sekolah")
    ).to_be_visible()
    expect(page.get_by_text("Balai RW 03 <Sungaibangkong>")).to_be_visible()
    photo = page.get_by_role("img", name="Ibu dan balita di kelas BKB")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") == 320

    page.get_by_role("link", name=village.name).click()
    process = page.get_by_role("region", name="Indeks Proses")
    expect(process).to_contain_text("3,00")
    expect(process).to_contain_text("Lintas sektor (OPD dalam kegiatan)")
    expect(page.locator(".badge.level-berkembang").first).to_be_visible()
    assert KampungKB.objects.get(pk=village.pk).computed_level == Level.BERKEMBANG

    phone = browser.new_context(viewport=PHONE)
    try:
        lurah = Browser(phone.new_page(), live_server.url)
        lurah.sign_in("lurah.sungaibangkong")
        lurah.go(village.get_absolute_url())
        expect(lurah.page.locator(".badge.level-berkembang").first).to_be_visible()
        expect(lurah.page.get_by_role("region", name="Indeks Proses")).to_contain_text("3,00")
        expect(lurah.page.get_by_role("link", name="Tambah kegiatan")).to_have_count(0)
        lurah.page.get_by_role("link", name="Kelas BKB bersama puskesmas & sekolah").click()
        lurah.check_accessibility()
        shown = lurah.page.get_by_role("img", name="Ibu dan balita di kelas BKB")
        expect(shown).to_be_visible()
        assert shown.evaluate("img => img.naturalWidth") == 320
        scroll = lurah.page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= PHONE["width"], "the page is wider than the phone"
    finally:
        phone.close()
    assert ActivityPhoto.objects.get().caption == "Ibu dan balita di kelas BKB"
