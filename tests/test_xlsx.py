"""The streamed .xlsx of large exports opens in a spreadsheet reader as written."""

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from kampungkb import xlsx


def read(blocks):
    return list(load_workbook(BytesIO(b"".join(blocks))).active.iter_rows(values_only=True))


def test_values_keep_their_kind_and_odd_text_survives():
    rows = [
        ["Kampung <Bangkong> & Sejahtera", 12, 45.5, True, datetime.date(2024, 3, 27)],
        ["  spasi di tepi ", None, "", False, "baris\x00dengan\x1fkendali"],
        ["Desimal", Decimal("12.50"), float("nan"), None, None],
    ]
    assert read(
        xlsx.stream_sheet("Kampung KB", ["Nama", "PUS", "CPR", "Aktif", "Tanggal"], rows)
    ) == [
        ("Nama", "PUS", "CPR", "Aktif", "Tanggal"),
        ("Kampung <Bangkong> & Sejahtera", 12, 45.5, True, "2024-03-27"),
        ("  spasi di tepi ", None, None, False, "barisdengankendali"),
        ("Desimal", 12.5, "nan", None, None),
    ]


def test_the_first_bytes_leave_before_the_last_row_is_read():
    read_so_far = []

    def rows():
        for n in range(3 * xlsx.FLUSH_EVERY):
            read_so_far.append(n)
            yield [f"Kampung {n}", n]

    stream = xlsx.stream_sheet("Kampung KB", ["Nama", "Nomor"], rows())
    blocks = [next(stream), next(stream)]  # two blocks of rows have left
    assert len(read_so_far) < 3 * xlsx.FLUSH_EVERY
    blocks.extend(stream)
    rows_read = read(blocks)
    assert len(rows_read) == 1 + 3 * xlsx.FLUSH_EVERY
    assert rows_read[-1] == (f"Kampung {3 * xlsx.FLUSH_EVERY - 1}", 3 * xlsx.FLUSH_EVERY - 1)


def test_column_letters_go_past_z():
    assert [xlsx._column_letters(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
