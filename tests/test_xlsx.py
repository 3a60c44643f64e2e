"""The sheets the app writes open in a spreadsheet as written: values keep their kind,
odd text survives as text, and the header is one an officer would make."""

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from kampungkb import xlsx

COLUMNS = [
    xlsx.Column("Nama"),
    xlsx.Column("PUS", xlsx.NUMBER),
    xlsx.Column("CPR", xlsx.NUMBER),
    xlsx.Column("Aktif", xlsx.AUTO),
    xlsx.Column("Tanggal", xlsx.DATE),
]


def written(rows, columns=COLUMNS):
    book = xlsx.new_workbook()
    xlsx.add_sheet(book, "Kampung KB", columns, rows)
    return load_workbook(BytesIO(xlsx.workbook_bytes(book)))["Kampung KB"]


def test_values_keep_their_kind_and_odd_text_survives():
    rows = [
        ["Kampung <Bangkong> & Sejahtera", 12, 45.5, True, datetime.date(2024, 3, 27)],
        ["  spasi di tepi ", None, None, False, None],
        ["baris\x00dengan\x1fkendali", Decimal("12.50"), float("nan"), None, None],
        ['=HYPERLINK("http://x","y")', 0, 0, "+cmd|' /C calc'!A0", None],
    ]
    sheet = written(rows)
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Nama", "PUS", "CPR", "Aktif", "Tanggal"),
        ("Kampung <Bangkong> & Sejahtera", 12, 45.5, True, datetime.datetime(2024, 3, 27)),
        ("  spasi di tepi ", None, None, False, None),
        ("barisdengankendali", 12.5, None, None, None),
        ('=HYPERLINK("http://x","y")', 0, 0, "+cmd|' /C calc'!A0", None),
    ]
    assert [cell.data_type for cell in sheet[5]] == ["s", "n", "n", "s", "n"]  # no formula


def test_the_header_stays_in_view_with_filters_and_widths():
    sheet = written([["Siti", 1, 2.0, True, None]] * 3)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["A"].width == 18


def test_text_columns_keep_digits_as_text_and_dates_show_the_indonesian_way():
    sheet = written(
        [["081234567890", 1, 1, None, datetime.date(2018, 8, 17)]],
        [xlsx.Column("Telepon"), *COLUMNS[1:]],
    )
    phone, *_rest, day = sheet[2]
    assert (phone.value, phone.data_type, phone.number_format) == ("081234567890", "s", "@")
    assert day.number_format == "dd/mm/yyyy"
