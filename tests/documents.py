"""Reading the app's documents back as a user's software would: PDF pages rendered
to images (pypdfium2, whose wheel carries the renderer), the QR codes on them
(zxing-cpp), their text (pypdf), and workbooks (openpyxl)."""

from io import BytesIO

import pypdfium2
import zxingcpp
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader


def pdf_pages(content, dpi=50):
    """Each page as a PIL image at `dpi`."""
    document = pypdfium2.PdfDocument(content)
    try:
        return [page.render(scale=dpi / 72).to_pil() for page in document]
    finally:
        document.close()


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def qr_codes(content):
    """The text of every QR code printed in the PDF, page by page."""
    return [
        code.text for page in pdf_pages(content, dpi=150) for code in zxingcpp.read_barcodes(page)
    ]


def workbook_cells(content):
    """Every cell of every sheet of an .xlsx."""
    book = load_workbook(BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def xlsx_bytes(rows):
    """An .xlsx whose first sheet holds `rows`, as a user's spreadsheet program saves it."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
