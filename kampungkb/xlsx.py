"""Workbooks for people, and reading theirs back.

Every sheet the app writes is one an officer would make by hand (`add_sheet`): a
bold header row that stays in view, with filters on it and columns wide enough;
dates as real Excel dates shown dd/mm/yyyy; numbers as numbers; and text as text,
so that a code, a NIK or a phone number keeps its leading zero and all its digits
(a text cell, format @), and text that looks like a formula (``=HYPERLINK(...)``,
``+cmd|...``) stays text. Characters XML cannot carry are dropped rather than
breaking the file. A workbook meant to come back has a "Petunjuk" sheet that says
what each column holds (`add_instructions`).

A workbook sent back is read by `read_sheet`, which refuses any file it cannot read,
whatever openpyxl raises and wherever, with one message.
"""

import datetime
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from zipfile import BadZipFile, ZipFile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

TEXT, DATE, NUMBER = "text", "date", "number"
#: Cells as their values are: a number a number, a date a date, text text.
AUTO = "auto"
DATE_FORMAT = "dd/mm/yyyy"
#: The most a cell holds in Excel; longer text makes the file one Excel must repair.
CELL_LIMIT = 32_767
#: Characters XML 1.0 cannot carry at all.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its title, how its cells are written (`TEXT`, `DATE` or
    `NUMBER`), its width in characters, and for the Petunjuk sheet what it holds, an
    example and the values it allows."""

    title: str
    kind: str = TEXT
    width: int = 18
    help: str = ""
    example: object = ""
    allowed: str = ""


def text(value):
    """User text as a cell can hold it: unchanged but for what XML cannot carry, and
    cut at the length Excel keeps."""
    return NOT_XML.sub("", str(value))[:CELL_LIMIT]


def new_workbook():
    return Workbook(write_only=True)


def workbook_bytes(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, column, value):
    if isinstance(value, float) and not math.isfinite(value):
        value = None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, bool | int | float | Decimal) and column.kind != TEXT:
        return WriteOnlyCell(sheet, value)
    if value is None or value == "":
        cell = WriteOnlyCell(sheet, None)
    else:
        cell = WriteOnlyCell(sheet, text(value))
        cell.data_type = "s"  # openpyxl would read a leading "=" as a formula
    if column.kind in (TEXT, AUTO):
        cell.number_format = "@"  # what is typed here later stays text too
    return cell


def add_sheet(workbook, title, columns, rows):
    """A sheet of `rows` (lists of values, one a column) under a header of `columns`."""
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for number, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, text(column.title))
        cell.font, cell.alignment = BOLD, WRAP
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append(
            [_cell(sheet, column, value) for column, value in zip(columns, row, strict=True)]
        )
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return sheet


def add_table(workbook, title, headings, rows):
    """A sheet of `rows` under `headings`, each cell as its value is, each column as
    wide as its heading asks (a report, not a file to send back)."""
    columns = [
        Column(heading, AUTO, min(max(len(str(heading)) + 2, 12), 40)) for heading in headings
    ]
    return add_sheet(workbook, title, columns, rows)


INSTRUCTION_COLUMNS = [
    Column(gettext_lazy("Kolom"), width=28),
    Column(gettext_lazy("Isi"), width=60),
    Column(gettext_lazy("Contoh"), width=28),
    Column(gettext_lazy("Pilihan yang diterima"), width=60),
]


def add_instructions(workbook, lines, columns):
    """The Petunjuk sheet: `lines` of explanation, then what each column holds. It is
    never read as data."""
    sheet = workbook.create_sheet(_("Petunjuk"))
    for number, column in enumerate(INSTRUCTION_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    for line in lines:
        sheet.append([_cell(sheet, INSTRUCTION_COLUMNS[0], line)])
    sheet.append([])
    header = [WriteOnlyCell(sheet, text(column.title)) for column in INSTRUCTION_COLUMNS]
    for cell in header:
        cell.font = BOLD
    sheet.append(header)
    for column in columns:
        row = [column.title, column.help, column.example, column.allowed]
        sheet.append([_cell(sheet, INSTRUCTION_COLUMNS[n], value) for n, value in enumerate(row)])


# -- reading ---------------------------------------------------------------------------


class Unreadable(Exception):
    """A workbook that cannot be read; its message says why, to the person who sent it."""


#: What a workbook may unpack to: the upload limit weighs the compressed file, which
#: can hold a gigabyte of repeated text.
MAX_UNPACKED_BYTES = 10 * 1024 * 1024


def _not_a_workbook():
    return Unreadable(_("Berkas tidak dapat dibaca sebagai Excel (.xlsx)."))


def _check_archive(upload):
    """Refuse, from the zip directory alone, a file that is no zip or unpacks to more
    than an import can hold."""
    try:
        with ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (BadZipFile, OSError, ValueError):
        raise _not_a_workbook() from None
    finally:
        upload.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise Unreadable(
            _(
                "Isi berkas terlalu besar setelah dibuka (lebih dari %(mb)d MB). "
                "Hapus lembar, gambar atau teks panjang yang tidak diperlukan."
            )
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def read_sheet(upload, title, *, max_lines):
    """The rows of the sheet named `title` (else the first sheet) of an uploaded
    workbook, as lists of values, the header first; Unreadable, with its message, for
    a file that is no workbook, unpacks to too much, has more than `max_lines` lines
    or breaks while it is read."""
    _check_archive(upload)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        sheet = book[title] if title in book.sheetnames else book.worksheets[0]
        if (sheet.max_row or 0) > max_lines:
            raise Unreadable(_too_long(max_lines))
        sheet.reset_dimensions()  # read every row, not only those the sheet says it has
        rows = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) == max_lines:  # the sheet's stated size was wrong
                raise Unreadable(_too_long(max_lines))
            rows.append(list(values))
        book.close()
    except Unreadable:
        raise
    except Exception:  # openpyxl raises many kinds, at open and while rows are read
        raise _not_a_workbook() from None
    return rows


def _too_long(max_lines):
    return _(
        "Lembar terlalu panjang: lebih dari %(n)d baris, termasuk baris kosong. "
        "Hapus baris kosong di bawah data."
    ) % {"n": max_lines}
