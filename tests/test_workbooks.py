"""Villages, people and monthly profiles go out to Excel and come back in: the export
is the import file. Each test exports, changes cells as an officer does in Excel,
sends the file back, and reads the preview's verdict of each row, the database's
changes and their history; the same file sent again changes nothing."""

import datetime
from io import BytesIO

import pytest

from villages.models import KampungKB, Manager, Person, ProfileSnapshot

from .factories import ALL_INPUT, make_person, make_snapshot, make_village
from .workbooks import confirm, export, file_error, upload, verdicts

pytestmark = pytest.mark.django_db

MARCH, APRIL = datetime.date(2024, 3, 1), datetime.date(2024, 4, 1)
FORMULA = '=HYPERLINK("http://contoh","klik")'


@pytest.fixture
def signed_in(client, dinas):
    client.force_login(dinas)
    return client


def history_count(model):
    return model.history.count()


# -- villages ------------------------------------------------------------------------------


def test_villages_go_out_and_come_back_with_exactly_the_changes_made(signed_in, dinas):
    bangkong = make_village(
        "61.71.05.1001", name="Kampung KB Bangkong", location_criteria=["kumuh", "das"]
    )
    barat = make_village("61.71.03.1004", name="Kampung KB Beliung")
    sheet = export(signed_in, "kampung")
    line = sheet.line_of("Nama", bangkong.name)
    sheet.set(line, "Kriteria wilayah", "Daerah aliran sungai; Kumuh")  # the same, reordered
    sheet.set(line, "Tanggal pencanangan", datetime.datetime(2017, 3, 14))  # a real date
    sheet.set(sheet.line_of("Nama", barat.name), "Keterangan", FORMULA, as_text=True)
    new = sheet.add(Kode_kelurahan="61.71.05.1002", Nama="Kampung KB Baru", Status="Aktif")
    sheet.set(new, "Kode kelurahan", "61.71.05.1002", as_text=True)
    sheet.add()  # a blank row: skipped
    before = history_count(KampungKB)

    preview = upload(signed_in, "kampung", sheet)
    rows = verdicts(preview)
    assert rows[line] == ("berubah", [("Tanggal pencanangan", None, datetime.date(2017, 3, 14))])
    assert rows[sheet.line_of("Nama", barat.name)] == (
        "berubah",
        [("Keterangan", "", FORMULA)],
    )
    assert rows[new][0] == "baru"
    assert not KampungKB.objects.filter(name="Kampung KB Baru").exists()  # a preview saves nothing

    assert confirm(signed_in, "kampung").status_code == 302
    bangkong.refresh_from_db()
    assert bangkong.launched_on == datetime.date(2017, 3, 14)
    assert bangkong.location_criteria == ["kumuh", "das"]  # as it was: the same set
    assert KampungKB.objects.get(pk=barat.pk).description == FORMULA
    added = KampungKB.objects.get(name="Kampung KB Baru")
    assert added.kelurahan.code == "61.71.05.1002"
    assert history_count(KampungKB) == before + 3
    record = bangkong.history.first()
    assert (record.history_user, record.history_change_reason) == (dinas, "impor Excel")

    again = export(signed_in, "kampung")
    assert {status for status, _ in verdicts(upload(signed_in, "kampung", again)).values()} == {
        "tetap"
    }
    assert "Tidak ada perubahan" in upload(signed_in, "kampung", again).content.decode()
    assert history_count(KampungKB) == before + 3


def test_a_new_village_like_one_already_there_is_a_probable_duplicate(signed_in):
    there = make_village("61.71.05.1001", name="Kampung KB Bangkong")
    sheet = export(signed_in, "kampung")
    line = sheet.add(Kode_kelurahan="61.71.05.1001", Nama="kampung kb bangkong", Status="Aktif")
    status, [reason] = verdicts(upload(signed_in, "kampung", sheet))[line]
    assert status == "ditolak"
    assert "Kemungkinan duplikat" in reason and f"ID {there.pk}" in reason
    assert KampungKB.objects.count() == 1


@pytest.mark.parametrize(
    "code, message",
    [
        ("35.75.99.9999", "kode kelurahan 35.75.99.9999 tidak dikenal"),
        ("35.75.01.1001", "kode kelurahan 35.75.01.1001 di luar wilayah Anda"),
        ("", "Kode kelurahan: wajib diisi"),
    ],
)
def test_an_unknown_or_foreign_kelurahan_is_named(signed_in, code, message):
    sheet = export(signed_in, "kampung")
    line = sheet.add(Kode_kelurahan=code or None, Nama="Kampung KB Asing", Status="Aktif")
    status, reasons = verdicts(upload(signed_in, "kampung", sheet))[line]
    assert status == "ditolak"
    assert any(message in reason for reason in reasons), reasons


def test_a_key_repeated_or_unknown_is_refused_by_line(signed_in):
    village = make_village()
    sheet = export(signed_in, "kampung")
    copy = sheet.add(ID=village.pk, Kode_kelurahan="61.71.05.1001", Nama="Salinan", Status="Aktif")
    stranger = sheet.add(ID=99999, Kode_kelurahan="61.71.05.1001", Nama="Asing", Status="Aktif")
    rows = verdicts(upload(signed_in, "kampung", sheet))
    assert rows[copy] == ("ditolak", [f"ID {village.pk} sama dengan baris 2."])
    assert rows[stranger][0] == "ditolak" and "ID 99999 tidak dikenal" in rows[stranger][1][0]


def test_a_village_changed_since_the_preview_is_shown_again_not_saved(signed_in):
    village = make_village(name="Kampung KB Lama")
    sheet = export(signed_in, "kampung")
    sheet.set(sheet.line_of("Nama", village.name), "RW yang dicakup", "RW 09")
    upload(signed_in, "kampung", sheet)
    KampungKB.objects.filter(pk=village.pk).update(rw_covered="RW 07")  # meanwhile
    response = confirm(signed_in, "kampung")
    assert response.status_code == 200
    assert "Data berubah sejak pratinjau" in response.content.decode()
    assert KampungKB.objects.get().rw_covered == "RW 07"
    assert confirm(signed_in, "kampung").status_code == 302  # the new preview, confirmed
    assert KampungKB.objects.get().rw_covered == "RW 09"


# -- people ----------------------------------------------------------------------------------


def test_a_person_with_a_new_phone_is_the_same_person_with_their_posts(signed_in, dinas):
    village = make_village()
    siti = make_person(name="Siti Aminah", phone="081211112222", nik="6171054101900001")
    Manager.objects.create(kampung=village, person=siti, role="ketua", start_date=MARCH)
    sheet = export(signed_in, "orang")
    line = sheet.line_of("Nama", "Siti Aminah")
    assert sheet.get(line, "Jabatan pengelola saat ini") == f"Ketua, {village.name}"
    assert sheet.get(line, "NIK") == "6171054101900001"  # text, all sixteen digits
    sheet.set(line, "Telepon", "0812 3333 4444", as_text=True)
    rows = verdicts(upload(signed_in, "orang", sheet))
    assert rows[line] == ("berubah", [("Telepon", "081211112222", "081233334444")])
    confirm(signed_in, "orang")
    assert Person.objects.count() == 1
    assert Person.objects.get().phone == "081233334444"
    assert Manager.objects.get().person_id == siti.pk
    assert siti.history.first().history_user == dinas


def test_a_nik_as_a_number_is_refused_with_how_to_mend_it(signed_in):
    sheet = export(signed_in, "orang")
    as_text = sheet.add(Nama="Ani", Jenis_kelamin="Perempuan", Kode_kota="61.71")
    sheet.set(as_text, "NIK", "6171054101900002", as_text=True)
    as_number = sheet.add(Nama="Budi", Jenis_kelamin="L", Kode_kota="61.71")
    sheet.set(as_number, "NIK", 6171054101900003)  # Excel keeps 15 significant digits
    rows = verdicts(upload(signed_in, "orang", sheet))
    assert rows[as_text][0] == "baru"
    status, [reason] = rows[as_number]
    assert status == "ditolak"
    assert reason.startswith("NIK: berisi angka, bukan teks") and "Format kolom" in reason


def test_a_nik_twice_in_a_file_or_someone_elses_is_refused(signed_in):
    make_person(name="Sudah Ada", nik="6171054101900009")
    sheet = export(signed_in, "orang")
    first = sheet.add(Nama="Ani", Jenis_kelamin="P", Kode_kota="61.71", NIK="6171054101900004")
    second = sheet.add(Nama="Ana", Jenis_kelamin="P", Kode_kota="61.71", NIK="6171054101900004")
    taken = sheet.add(Nama="Lain", Jenis_kelamin="P", Kode_kota="61.71", NIK="6171054101900009")
    rows = verdicts(upload(signed_in, "orang", sheet))
    assert rows[first][0] == "baru"
    assert rows[second] == ("ditolak", [f"NIK: sama dengan baris {first}."])
    assert rows[taken][0] == "ditolak" and "Kemungkinan duplikat" in rows[taken][1][0]


def test_a_new_person_with_a_namesakes_phone_is_a_probable_duplicate(signed_in):
    make_person(name="Siti Aminah", phone="081211112222")
    sheet = export(signed_in, "orang")
    line = sheet.add(Nama="SITI AMINAH", Jenis_kelamin="P", Kode_kota="61.71")
    sheet.set(line, "Telepon", "+62 812-1111-2222", as_text=True)
    status, [reason] = verdicts(upload(signed_in, "orang", sheet))[line]
    assert status == "ditolak" and "dengan telepon ini" in reason


# -- monthly profiles -----------------------------------------------------------------------


def test_a_months_profiles_go_out_and_come_back(signed_in, dinas):
    entered = make_village(name="Kampung KB Sudah")
    make_snapshot(entered, MARCH, pus=100, users_pill=30, programmes=["bkb", "bkr"])
    empty = make_village(name="Kampung KB Belum")
    sheet = export(signed_in, "profil", bulan="2024-03")
    line = sheet.line_of("Kampung KB", entered.name)
    assert sheet.get(line, "Bulan") == datetime.datetime(2024, 3, 1)
    assert sheet.get(line, "Program yang ada").startswith("BKB")
    sheet.set(line, "Program yang ada", "BKR (Bina Keluarga Remaja); BKB (Bina Keluarga Balita)")
    sheet.set(line, "Peserta pil", 35)
    blank = sheet.line_of("Kampung KB", empty.name)  # left blank: skipped
    rows = verdicts(upload(signed_in, "profil", sheet))
    assert rows == {line: ("berubah", [("Peserta pil", 30, 35)])}
    assert blank not in rows
    confirm(signed_in, "profil")
    profile = ProfileSnapshot.objects.get(kampung=entered)
    assert (profile.users_pill, profile.programmes) == (35, ["bkb", "bkr"])
    assert profile.history.first().history_user == dinas

    second = upload(signed_in, "profil", export(signed_in, "profil", bulan="2024-03"))
    assert {status for status, _ in verdicts(second).values()} == {"tetap"}


def test_a_profile_breaking_a_rule_names_the_column(signed_in):
    village = make_village(name="Kampung KB Uji")
    sheet = export(signed_in, "profil", bulan="2024-04")
    line = sheet.line_of("Kampung KB", village.name)
    sheet.set(line, "PUS", 10)
    sheet.set(line, "Peserta pil", 20)
    sheet.set(line, "Pokja terbentuk", "Mungkin")
    status, reasons = verdicts(upload(signed_in, "profil", sheet))[line]
    assert status == "ditolak"
    assert "Pokja terbentuk: isi Ya atau Tidak." in reasons
    sheet.set(line, "Pokja terbentuk", "Ya")
    status, reasons = verdicts(upload(signed_in, "profil", sheet))[line]
    assert reasons == ["PUS: Jumlah peserta KB aktif melebihi jumlah PUS."]


def test_new_profiles_judge_their_villages_level(signed_in):
    village = make_village(name="Kampung KB Naik")
    sheet = export(signed_in, "profil", bulan="2024-04")
    line = sheet.line_of("Kampung KB", village.name)
    for name, value in ALL_INPUT.items():
        field = ProfileSnapshot._meta.get_field(name)
        title = str(field.verbose_name)
        title = title[0].upper() + title[1:]
        if isinstance(value, list):
            labels = dict(field.item_choices)
            value = "; ".join(str(labels[item]) for item in value)
        elif value is True:
            value = "Ya"
        sheet.set(line, title, value)
    sheet.set(line, "PUS", 100)
    assert verdicts(upload(signed_in, "profil", sheet))[line][0] == "baru"
    confirm(signed_in, "profil")
    village.refresh_from_db()
    assert ProfileSnapshot.objects.get().month == APRIL
    assert village.computed_level == "dasar"  # input passes alone: still Dasar
    assert village.history.count() == 1  # no rejudged level: it did not change


# -- the workbook as an officer sees it -------------------------------------------------------


def test_every_workbook_is_one_an_officer_would_make(signed_in):
    make_person(name="Siti", nik="6171054101900001", phone="081211112222")
    make_snapshot(make_village(launched_on=datetime.date(2018, 8, 17)), MARCH)
    for kind, params in [("kampung", {}), ("orang", {}), ("profil", {"bulan": "2024-03"})]:
        sheet = export(signed_in, kind, **params).sheet
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(cell.font.b for cell in sheet[1])
        assert all(cell.value and "_" not in cell.value for cell in sheet[1])  # plain titles
        assert sheet.column_dimensions["A"].width >= 10
        assert "Petunjuk" in sheet.parent.sheetnames
    book = export(signed_in, "orang").sheet
    nik = book.cell(2, [c.value for c in book[1]].index("NIK") + 1)
    assert (nik.value, nik.data_type, nik.number_format) == ("6171054101900001", "s", "@")
    village_sheet = export(signed_in, "kampung").sheet
    launched = village_sheet.cell(
        2, [c.value for c in village_sheet[1]].index("Tanggal pencanangan") + 1
    )
    assert launched.number_format == "dd/mm/yyyy" and launched.is_date


def test_the_example_in_the_instructions_is_never_read(signed_in):
    sheet = export(signed_in, "kampung")
    instructions = sheet.book["Petunjuk"]
    assert any("Kampung KB Bangkong Berseri" in str(c.value) for row in instructions for c in row)
    assert "tidak berisi baris data" in file_error(upload(signed_in, "kampung", sheet))


# -- files that cannot be read -----------------------------------------------------------------


def _with_sheet_xml(content, replace):
    import zipfile

    source = zipfile.ZipFile(BytesIO(content))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = replace(data)
            archive.writestr(member, data)
    return out.getvalue()


def _understating(content):
    """The zip's directory says a member is smaller than it is."""
    marker = b"xl/worksheets/sheet1.xml"
    start = content.rfind(b"PK\x01\x02", 0, content.rfind(marker))
    broken = bytearray(content)
    broken[start + 24 : start + 28] = (10).to_bytes(4, "little")
    return bytes(broken)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda c: _with_sheet_xml(c, lambda xml: xml[: len(xml) // 2]),  # cut inside a tag
        _understating,
        lambda c: _with_sheet_xml(c, lambda xml: xml.replace(b"<v>", b"<v>x", 1)),  # a number "x"
        lambda c: b"PK\x03\x04" + c[4:40],
    ],
    ids=["cut-sheet", "understated-size", "number-x", "truncated-zip"],
)
def test_any_unreadable_workbook_gets_one_clear_message(signed_in, spoil):
    village = make_village(latitude="-0.02")
    content = export(signed_in, "kampung").content()
    response = upload(signed_in, "kampung", spoil(content))
    assert response.status_code == 200
    message = file_error(response)
    assert "tidak dapat dibaca sebagai Excel" in message or "Kolom tidak ditemukan" in message
    assert KampungKB.objects.get() == village
