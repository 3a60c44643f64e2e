"""Spreadsheets the app writes: the one safe way to put user text into a cell, and
an .xlsx sheet written while it is sent, for exports of any length.

Every exporter goes through `text` (the streaming writer) or `append` (openpyxl), so
text that looks like a formula (``=HYPERLINK(...)``, ``+cmd|...``) stays text and
characters that XML cannot carry are dropped instead of breaking the file.

openpyxl (used for every other spreadsheet here) keeps memory flat in write-only
mode, but hands out the file only once it is complete: 84,000 villages took a
minute before the first byte, past any proxy's patience. Here each row becomes XML
as it comes and leaves through a zip stream, so the download starts at once and
memory stays flat. The file holds one sheet of text and numbers, no styles: what an
export needs, and what Excel, LibreOffice and openpyxl all open.
"""

import datetime
import io
import math
import re
import zipfile
from decimal import Decimal
from itertools import chain
from xml.sax.saxutils import escape, quoteattr

from openpyxl.cell import WriteOnlyCell

FLUSH_EVERY = 500  # rows between the blocks handed to the response

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

CONTENT_TYPES = (
    f'{XML}<Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
    '.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml"'
    f' ContentType="{SHEET_TYPE}.worksheet+xml"/></Types>'
)


def _relationship(kind, target):
    return (
        f'{XML}<Relationships xmlns="{PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{OFFICE}/{kind}" Target="{target}"/></Relationships>'
    )


PACKAGE_RELS = _relationship("officeDocument", "xl/workbook.xml")
WORKBOOK_RELS = _relationship("worksheet", "worksheets/sheet1.xml")
WORKBOOK = (
    f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
    '<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets></workbook>'
)
SHEET_START = f'{XML}<worksheet xmlns="{MAIN}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"

#: The most a cell holds in Excel; longer text makes the file one Excel must repair.
CELL_LIMIT = 32_767
#: Characters XML 1.0 cannot carry at all.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value):
    """User text as a cell can hold it: unchanged but for what XML cannot carry,
    and cut at the length Excel keeps."""
    return NOT_XML.sub("", str(value))[:CELL_LIMIT]


def append(sheet, values):
    """Add a row to an openpyxl write-only sheet: text is always text, never a
    formula, whatever it begins with."""
    cells = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, text(value))
            cell.data_type = "s"  # openpyxl would read a leading "=" as a formula
        else:
            cell = WriteOnlyCell(sheet, value)
        cells.append(cell)
    sheet.append(cells)


def _column_letters(n):
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref, value):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)) and math.isfinite(value):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime.date):
        value = value.isoformat()  # as text: no styles to format a serial date
    content = escape(text(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{content}</t></is></c>'


class _Outbox(io.RawIOBase):
    """Where the zip writes; emptied into the response block by block."""

    def __init__(self):
        self.blocks = []

    def writable(self):
        return True

    def write(self, data):
        self.blocks.append(bytes(data))
        return len(data)

    def take(self):
        data = b"".join(self.blocks)
        self.blocks.clear()
        return data


def stream_sheet(title, header, rows):
    """Yield the bytes of an .xlsx with one sheet: `header`, then each of `rows`."""
    outbox = _Outbox()
    with zipfile.ZipFile(outbox, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        package.writestr("xl/workbook.xml", WORKBOOK.format(name=quoteattr(title)))
        package.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        columns = [_column_letters(n) for n in range(1, len(header) + 1)]
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.encode())
            for number, row in enumerate(chain([header], rows), 1):
                cells = "".join(
                    _cell(f"{c}{number}", v) for c, v in zip(columns, row, strict=False)
                )
                sheet.write(f'<row r="{number}">{cells}</row>'.encode())
                if number % FLUSH_EVERY == 0:
                    yield outbox.take()
            sheet.write(SHEET_END.encode())
    yield outbox.take()
