"""The monthly round through Excel, in a real browser: download the month's profiles,
change a cell as an officer does, send the file back, read the preview, save."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import make_snapshot, make_village
from tests.workbooks import Sheet
from villages.models import ProfileSnapshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}], ids=["desktop"])
def test_a_months_profiles_downloaded_edited_uploaded_and_saved(browse, dinas_user, tmp_path):
    village = make_village(name="Kampung KB Bangkong Berseri")
    make_snapshot(village, datetime.date(2024, 3, 1), pus=100, users_pill=30)
    page = browse.page
    browse.sign_in("dinas.pontianak")
    browse.go("/kampung/profil/?bulan=2024-03")
    expect(page.get_by_text("1 dari 1 Kampung KB sudah mengisi.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ekspor Excel").click()
    sheet = Sheet(Path(download.value.path()).read_bytes(), "profil")
    sheet.set(sheet.line_of("Kampung KB", village.name), "Peserta pil", 42)
    edited = tmp_path / "profil-2024-03.xlsx"
    edited.write_bytes(sheet.content())

    page.get_by_role("link", name="Impor").click()
    page.get_by_label("Berkas Excel (.xlsx)").set_input_files(edited)
    browse.submit("Periksa berkas")
    expect(page.get_by_text("0 baru · 1 berubah · 0 tetap · 0 ditolak")).to_be_visible()
    expect(page.locator("ins", has_text="42")).to_be_visible()
    assert ProfileSnapshot.objects.get().users_pill == 30  # the preview saves nothing
    page.get_by_role("button", name="Simpan 0 data baru dan 1 perubahan").click()
    expect(page.get_by_text("0 data baru dan 1 perubahan disimpan.")).to_be_visible()
    assert ProfileSnapshot.objects.get().users_pill == 42
