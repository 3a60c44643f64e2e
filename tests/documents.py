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


def character_boxes(content):
    """Every printed character as (page number, character, (left, bottom, right, top)
    in points), with the size of its page."""
    document = pypdfium2.PdfDocument(content)
    try:
        for number, page in enumerate(document, start=1):
            size = page.get_size()
            text = page.get_textpage()
            for index in range(text.count_chars()):
                character = text.get_text_range(index, 1)
                if character.strip():
                    yield number, character, text.get_charbox(index), size
    finally:
        document.close()


def word_boxes(content, word):
    """The box (left, bottom, right, top) of every character of every occurrence of
    `word`, page by page: {page number: [box, …]}."""
    document = pypdfium2.PdfDocument(content)
    found = {}
    try:
        for number, page in enumerate(document, start=1):
            text = page.get_textpage()
            searcher = text.search(word, match_case=True)
            while occurrence := searcher.get_next():
                index, count = occurrence
                found.setdefault(number, []).extend(
                    text.get_charbox(i) for i in range(index, index + count)
                )
    finally:
        document.close()
    return found


def characters_outside(content, margin=0):
    """The characters whose box is not wholly on its page, `margin` points in."""
    return [
        (number, character)
        for number, character, (left, bottom, right, top), (width, height) in character_boxes(
            content
        )
        if left < margin or bottom < margin or right > width - margin or top > height - margin
    ]


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
