"""The workbook an operator copies into the national portal: its sheets, the portal's
labels in the portal's order, the values entered, and the recap per kecamatan."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import make_user
from .factories import (
    ALL_INPUT,
    ALL_OUTPUT,
    ALL_PROCESS,
    make_activity,
    make_snapshot,
    make_village,
)

pytestmark = pytest.mark.django_db

SHEETS = ["Profil", "Kependudukan", "KKBPK", "Kegiatan", "Rekap klasifikasi"]
VILLAGE = ["Kode kelurahan", "Kelurahan", "Kecamatan", "Kampung KB"]
#: The portal's order (reference/klasifikasi.md), field by field.
POPULATION = [
    "PUS",
    "Jumlah keluarga",
    "Jumlah remaja",
    "Keluarga dengan balita",
    "Keluarga dengan remaja",
    "Keluarga dengan lansia",
]
KKBPK = [
    "Anggota BKB", "Anggota BKR", "Anggota BKL", "Anggota UPPKA", "Anggota PIK-R",
    "Peserta IUD", "Peserta MOW", "Peserta MOP", "Peserta kondom", "Peserta implan",
    "Peserta suntik", "Peserta pil",
    "Hamil", "Ingin anak segera", "IAT", "TIAL",
]  # fmt: skip
PROFILE_START = ["Pokja terbentuk", "Jumlah anggota Pokja", "Pokja sudah dilatih"]
FUNDS = ["APBN / BOKB", "APBD", "Dana desa/kelurahan", "Donasi/hibah masyarakat",
         "Perusahaan (CSR)", "Swadaya masyarakat"]  # fmt: skip
OPERATIONS = [
    "Rapat perencanaan kegiatan",
    "Rapat koordinasi dengan dinas/instansi terkait",
    "Sosialisasi kegiatan",
    "Monitoring dan evaluasi kegiatan",
    "Penyusunan laporan",
]


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_recap_counts_each_kecamatan_by_the_portals_rule(client, dinas):
    """Pontianak Kota: one Berkembang (indices 3.20, 3.00, 1.75), one Berkelanjutan
    (3.20, 3.00, 4.00), one without a profile; Pontianak Utara: one Dasar."""
    make_snapshot(make_village("61.71.05.1001"), **ALL_INPUT, **ALL_PROCESS)
    make_snapshot(make_village("61.71.05.1002"), **ALL_INPUT, **ALL_PROCESS, **ALL_OUTPUT)
    make_village("61.71.05.1003")
    west = make_village("61.71.04.1001")
    make_snapshot(west)
    make_activity(west, agencies=["DINKES", "DISDIK"])
    client.force_login(dinas)
    [headings, *recap] = rows(
        workbook(client.get(reverse("villages:portal_export")))["Rekap klasifikasi"]
    )
    assert headings == [
        "Kecamatan", "Jumlah Kampung KB", "Dasar", "Berkembang", "Mandiri", "Berkelanjutan",
        "Belum ada profil", "Rata-rata indeks Input", "Rata-rata indeks Proses",
        "Rata-rata indeks Output", "Lulus indeks Input (≥ 3)", "Lulus indeks Proses (≥ 3)",
        "Lulus indeks Output (≥ 3)",
    ]  # fmt: skip
    by_name = {row[0]: row[1:] for row in recap}
    assert by_name["Pontianak Kota"] == [3, 0, 1, 0, 1, 1, 3.2, 3, 2.88, 2, 2, 1]
    # input 1.00 (nothing ticked), process (1 + 1 + 2) / 3: no data, no operations,
    # two agencies
    assert by_name["Pontianak Utara"][:6] == [1, 1, 0, 0, 0, 0]
    assert by_name["Pontianak Utara"][6:8] == [1, 1.33]


def test_a_month_asked_exports_that_months_profiles(client, dinas):
    village = make_village()
    make_snapshot(village, datetime.date(2024, 1, 1), pus=111)
    make_snapshot(village, datetime.date(2024, 2, 1), pus=222)
    client.force_login(dinas)
    url = reverse("villages:village_portal_export", args=[village.pk])
    [_, latest] = rows(workbook(client.get(url))["Kependudukan"])
    [_, january] = rows(workbook(client.get(url, {"bulan": "2024-01"}))["Kependudukan"])
    assert (latest[4], latest[5]) == ("2024-02", 222)
    assert (january[4], january[5]) == ("2024-01", 111)
    [headings] = rows(workbook(client.get(url, {"bulan": "2023-05"}))["KKBPK"])  # none then
    assert headings[:4] == VILLAGE


def test_a_user_of_two_cities_exports_one_city_at_a_time(client):
    pontianak, pasuruan = make_village("61.71.05.1001"), make_village("35.75.01.1001")
    client.force_login(make_user("provinsi", "dinas", cities=["61.71", "35.75"]))
    first = client.get(reverse("villages:portal_export"))  # the first city by its code
    [_, *recap] = rows(workbook(first)["Rekap klasifikasi"])
    assert [row[0] for row in recap] == [pasuruan.kelurahan.district.name]
    assert "portal-kota-pasuruan.xlsx" in first["Content-Disposition"]
    chosen = client.get(reverse("villages:portal_export"), {"kota": "61.71"})
    [_, *recap] = rows(workbook(chosen)["Rekap klasifikasi"])
    assert [row[0] for row in recap] == [pontianak.kelurahan.district.name]


def test_a_month_asked_is_judged_with_the_agencies_held_by_its_end(client, dinas):
    """Input passes; process is 2.67 without an agency and 3.00 with one (February's)."""
    short = dict(
        ALL_INPUT,
        data_used=["pk", "rutin", "potensi_desa", "sektoral"],
        operational_activities=["perencanaan", "koordinasi", "sosialisasi"],
    )
    village = make_village()
    make_snapshot(village, datetime.date(2024, 1, 1), **short)
    make_snapshot(village, datetime.date(2024, 2, 1), **short)
    make_activity(village, agencies=["DINKES"], date=datetime.date(2024, 2, 10))
    client.force_login(dinas)
    url = reverse("villages:portal_export")
    levels = {}
    for month in ("2024-01", "2024-02"):
        [_, row] = rows(workbook(client.get(url, {"bulan": month}))["Rekap klasifikasi"])
        levels[month] = row[2:6]  # Dasar, Berkembang, Mandiri, Berkelanjutan
    assert levels == {"2024-01": [1, 0, 0, 0], "2024-02": [0, 1, 0, 0]}
