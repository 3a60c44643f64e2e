"""Imports survive what a file can hold: archives that unpack to a gigabyte, sheets of
a million rows, a 200 MB cell, blank rows, a NIK twice in one file. Every file here
is made by the test; each is answered with a message in Bahasa Indonesia and nothing
is saved. (How fast and in how little memory: scripts/measure_imports.py.)"""

import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from villages.models import Person

from .documents import xlsx_bytes
from .workbooks import file_error

PERSON_HEADINGS = [
    "ID",
    "Nama",
    "Jenis kelamin",
    "NIK",
    "Telepon",
    "Jabatan/pekerjaan",
    "Kode kota",
    "Kode kelurahan domisili",
    "Kelurahan domisili",
    "Jabatan pengelola saat ini",
]
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def person(name, nik=""):
    return [None, name, "P", nik, "", "Kader", "61.71", "61.71.05.1001", None, None]


def with_sheet(write_rows, dimension="A1:J1"):
    """A workbook whose first sheet is written by `write_rows(stream)` after the
    heading row: for sheets too large to build with openpyxl."""
    template = zipfile.ZipFile(BytesIO(xlsx_bytes([PERSON_HEADINGS])))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in template.infolist():
            if member.filename != SHEET:
                archive.writestr(member, template.read(member))
        with archive.open(SHEET, "w", force_zip64=True) as sheet:
            heading = "".join(
                f'<c r="{chr(65 + n)}1" t="inlineStr"><is><t>{h}</t></is></c>'
                for n, h in enumerate(PERSON_HEADINGS)
            )
            sheet.write(
                f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
                f'<sheetData><row r="1">{heading}</row>'.encode()
            )
            write_rows(sheet)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def one_cell(length):
    def write(sheet):
        sheet.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        block = b"A" * (1024 * 1024)
        for _ in range(length // len(block)):
            sheet.write(block)
        sheet.write(b"</t></is></c></row>")

    return with_sheet(write)


def many_rows(count):
    """`count` identical rows (a row needs no number), which compress to almost nothing."""

    def write(sheet):
        block = b'<row><c t="inlineStr"><is><t>Siti</t></is></c></row>' * 10_000
        for _ in range(count // 10_000):
            sheet.write(block)

    return with_sheet(write)


def sparse_rows(last_row):
    """Two rows of data, the second at `last_row`: small, but a sheet that long."""

    def write(sheet):
        for n in (2, last_row):
            sheet.write(
                f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Siti</t></is></c></row>'.encode()
            )

    return with_sheet(write, dimension=f"A1:J{last_row}")


def upload(client, content):
    return client.post(
        reverse("villages:import", args=["orang"]),
        {"file": SimpleUploadedFile("orang.xlsx", content)},
    )


@pytest.fixture
def signed_in(client, dinas):
    client.force_login(dinas)
    return client


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: one_cell(1100 * 1024 * 1024), "terlalu besar setelah dibuka"),
        (lambda: one_cell(200 * 1024 * 1024), "terlalu besar setelah dibuka"),
        (lambda: many_rows(1_000_000), "terlalu besar setelah dibuka"),
        (lambda: sparse_rows(1_000_000), "Lembar terlalu panjang"),
    ],
    ids=["unpacks-to-1-gb", "cell-of-200-mb", "million-rows", "million-row-sheet"],
)
def test_a_bomb_is_refused_before_it_is_read(signed_in, build, message):
    content = build()
    assert len(content) <= 2 * 1024 * 1024  # passes the upload limit
    assert message in file_error(upload(signed_in, content))
    assert not Person.objects.exists()


def test_a_sheet_that_lies_about_its_size_is_stopped_at_the_line_limit(signed_in):
    content = sparse_rows(1_000_000)
    content = content.replace(b'<dimension ref="A1:J1000000"/>', b'<dimension ref="A1:J2"/>')
    assert "Lembar terlalu panjang" in file_error(upload(signed_in, content))


def test_a_cell_longer_than_excel_holds_is_a_row_message(signed_in):
    def write(sheet):  # openpyxl itself would cut the text at Excel's limit
        row = (
            '<row r="2"><c r="B2" t="inlineStr"><is><t>Siti</t></is></c>'
            '<c r="C2" t="inlineStr"><is><t>P</t></is></c>'
            '<c r="G2" t="inlineStr"><is><t>61.71</t></is></c>'
            f'<c r="F2" t="inlineStr"><is><t>{"S" * 40_000}</t></is></c></row>'
        )
        sheet.write(row.encode())

    [row] = upload(signed_in, with_sheet(write)).context["preview"].rows
    assert (row.line, row.status) == (2, "ditolak")
    assert "Jabatan/pekerjaan: isi sel lebih dari 32.767 karakter." in row.reasons


def test_blank_rows_neither_count_nor_hide_the_rows_after_them(signed_in):
    rows = [person(f"Orang {n:02}") for n in range(1, 11)]
    blank = [[None] * len(PERSON_HEADINGS)] * 5000
    more = [person(f"Orang {n:02}") for n in range(11, 21)]
    response = upload(signed_in, xlsx_bytes([PERSON_HEADINGS, *rows, *blank, *more]))
    preview = response.context["preview"]
    assert preview.can_be_saved
    assert [row.line for row in preview.rows] == [*range(2, 12), *range(5012, 5022)]
    assert "20 baru" in response.content.decode()
    signed_in.post(reverse("villages:import", args=["orang"]), {"confirm": "1"})
    assert Person.objects.count() == 20


def test_a_file_of_only_blank_rows_says_so(signed_in):
    blank = [[None] * len(PERSON_HEADINGS)] * 50
    message = file_error(upload(signed_in, xlsx_bytes([PERSON_HEADINGS, *blank])))
    assert "tidak berisi baris data" in message


def test_more_data_rows_than_the_limit_is_refused(signed_in):
    rows = [person(f"Orang {n}") for n in range(5001)]
    assert "Maksimal 5000 baris data" in file_error(
        upload(signed_in, xlsx_bytes([PERSON_HEADINGS, *rows]))
    )


def test_a_nik_repeated_in_the_file_is_a_row_message_and_nothing_is_saved(signed_in):
    rows = [person(f"Orang {n}", f"61710541019000{n:02}") for n in range(1, 31)]
    rows[21][3] = rows[5][3]  # line 23 repeats line 7's NIK
    response = upload(signed_in, xlsx_bytes([PERSON_HEADINGS, *rows]))
    preview = response.context["preview"]
    assert not preview.can_be_saved
    [(line, reasons)] = [(row.line, row.reasons) for row in preview.refused]
    assert (line, reasons) == (23, ["NIK: sama dengan baris 7."])
    assert "1 baris ditolak" in response.content.decode()
    assert not Person.objects.exists()


def test_a_row_taken_meanwhile_is_refused_at_confirmation_and_nothing_is_saved(signed_in, dinas):
    url = reverse("villages:import", args=["orang"])
    rows = [person("Orang Satu", "6171054101900001"), person("Orang Dua", "6171054101900002")]
    assert upload(signed_in, xlsx_bytes([PERSON_HEADINGS, *rows])).context["preview"].can_be_saved
    Person.objects.create(
        name="Sudah Ada", sex="P", nik="6171054101900002", city=dinas.profile.cities.get()
    )  # meanwhile
    response = signed_in.post(url, {"confirm": "1"})
    assert response.status_code == 200
    assert "Data berubah sejak pratinjau" in response.content.decode()
    [row] = response.context["preview"].refused
    assert row.line == 3 and "NIK" in row.reasons[0]
    assert list(Person.objects.values_list("name", flat=True)) == ["Sudah Ada"]
