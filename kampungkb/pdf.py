"""The one layout of the app's official documents: embedded fonts, styles, Indonesian
dates, the letterhead (kop surat), the place-and-date line, the signature block,
text fitted to its box, and the page that says why a document is empty.

reportlab reads a `Paragraph`'s text as markup: an ``<img>`` in it loads a file
from the server's disk, an ``<a>`` makes a live link, and anything that is not
valid markup stops the document. So user text reaches a paragraph only through
`paragraph`, which escapes it; text drawn on a canvas (`drawString`) is literal.

Text never leaves its box: a paragraph wraps between words (a word is broken only
when it is wider than its whole column), and a line drawn on a canvas is fitted
(`fit`): shrunk, then wrapped, and broken inside a word only as a last resort.
"""

import itertools
import re
from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import formats, translation
from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
# Every canvas starts in an embedded font, so no unembedded Helvetica is referenced.
rl_config.canvas_basefontname = "Vera"

BODY = ParagraphStyle("body", fontName="Vera", fontSize=9, leading=11)
CENTER = ParagraphStyle("center", parent=BODY, alignment=1)
HEAD = ParagraphStyle("head", parent=CENTER, fontName="VeraBd", fontSize=12, leading=15)
SUBHEAD = ParagraphStyle("subhead", parent=BODY, fontName="VeraBd", fontSize=10, leading=14)
COLUMN = ParagraphStyle("column", parent=BODY, fontName="VeraBd")
KOP_TOP = ParagraphStyle("kop-top", parent=CENTER, fontSize=11, leading=13)
KOP_NAME = ParagraphStyle("kop-name", parent=HEAD, fontSize=12, leading=14)
KOP_ADDRESS = ParagraphStyle("kop-address", parent=CENTER, fontSize=8, leading=10)
SIGN = ParagraphStyle("sign", parent=CENTER, fontSize=10, leading=12)
SIGN_NAME = ParagraphStyle("sign-name", parent=SIGN, fontName="VeraBd")

#: Margins of every A4 document; a page number never runs into the text.
MARGIN = 15 * mm
LOGO = 20 * mm
#: Room left for a handwritten signature (and a stamp) above the signatory's name.
SIGNING_SPACE = 18 * mm
NO_BREAK_SPACE = "\u00a0"  # an empty line that still takes its height
#: What a blank for a name a signatory writes in by hand looks like.
BLANK_NAME = "(" + "." * 40 + ")"

#: The white modules a QR reader needs around the code.
QUIET_ZONE = 4

#: Control characters, which neither the markup parser nor the fonts can take.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Letterhead:
    """The kop surat: whose government, which agency, where to find it, its logo."""

    government: str
    organiser: str
    address: str = ""
    logo: str = ""  # a file's path, or "" for none
    place: str = ""  # for the place-and-date line: "Pontianak"


@dataclass(frozen=True)
class Signatory:
    position: str
    name: str = ""
    nip: str = ""


def clean(text):
    return CONTROL.sub("", str(text))


def paragraph(*lines, style=BODY):
    """A paragraph of `lines` (user text or not), each shown exactly as written and
    on a line of its own."""
    return Paragraph(
        "<br/>".join(escape(clean(line)).replace("\n", "<br/>") for line in lines), style
    )


def indonesian_date(date, format="l, j F Y"):
    """Documents for the accountability file are in Indonesian whatever the UI language."""
    with translation.override("id"):
        return formats.date_format(date, format)


def place_and_date(place, date):
    """The line above a signature: "Pontianak, 27 Maret 2018"."""
    return f"{place}, {indonesian_date(date, 'j F Y')}" if place else indonesian_date(date, "j F Y")


def grid_style():
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), "Vera", 9),
            ("FONT", (0, 0), (-1, 0), "VeraBd", 9),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )


def headings(names):
    """A table's heading row, each name wrapping within its column."""
    return [paragraph(name, style=COLUMN) for name in names]


def grid(heading, rows, widths, *, empty="Tidak ada"):
    """A table with a heading row repeated on every page; cells of user text wrap.
    With no rows it says `empty` rather than print a heading over nothing."""
    if not rows:
        return paragraph(empty)
    cells = [headings(heading), *[[paragraph(cell) for cell in row] for row in rows]]
    # A long cell may run past a page: its row continues on the next one.
    table = Table(cells, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(grid_style())
    return table


# -- the letterhead and the signature ------------------------------------------------


def letterhead(head, width):
    """The kop: the logo on the left, the names centred on the page, a rule below."""
    names = [paragraph(head.government.upper(), style=KOP_TOP)]
    if head.organiser:
        names.append(paragraph(head.organiser.upper(), style=KOP_NAME))
    if head.address:
        names.append(paragraph(head.address, style=KOP_ADDRESS))
    logo = Image(head.logo, width=LOGO, height=LOGO, kind="proportional") if head.logo else ""
    table = Table([[logo, names, ""]], colWidths=[LOGO + 4 * mm, width - 2 * (LOGO + 4 * mm), LOGO])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 1.5, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ]
        )
    )
    return table


def _signature_lines(signatory, above):
    """The lines of a signature block, each (text, bold), with None for the room to
    sign: `above` (the place-and-date line, "Mengetahui,"), the position, the name (a
    blank to write it in when unknown), the NIP."""
    lines = [(line, False) for line in [*above, signatory.position]]
    lines += [None, (signatory.name or BLANK_NAME, True)]
    if signatory.nip:
        lines.append((f"NIP. {signatory.nip}", False))
    return lines


def signature(signatory, *, above=()):
    """The signature block as flowables, each line wrapping within its column."""
    return [
        Spacer(1, SIGNING_SPACE)
        if line is None
        else paragraph(line[0], style=SIGN_NAME if line[1] else SIGN)
        for line in _signature_lines(signatory, above)
    ]


def draw_signature(pdf, signatory, *, above=(), x, bottom, width):
    """The signature block drawn on a canvas, centred on `x` and ending at `bottom`,
    each line fitted to `width` in at most two lines: it takes the same room however
    long the names."""
    size, leading = SIGN.fontSize, SIGN.leading
    blocks = []
    for line in _signature_lines(signatory, above):
        if line is None:
            blocks.append((None, SIGNING_SPACE))
            continue
        text, bold = line
        font = "VeraBd" if bold else "Vera"
        fitted = fit(text, font, size, width, min_size=6, max_lines=2)
        blocks.append(((font, *fitted), len(fitted[1]) * leading))
    y = bottom + sum(height for _, height in blocks)
    for block, height in blocks:
        if block:
            font, fitted_size, lines = block
            pdf.setFont(font, fitted_size)
            for number, text in enumerate(lines, start=1):
                pdf.drawCentredString(x, y - number * leading + 3, text)
        y -= height


def signatures(width, *signers):
    """Signature blocks side by side, their positions on one line; a single one
    stands on the right. Each signer is a `Signatory` and the lines above it."""
    depth = max(len(above) for _, above in signers)
    blocks = [
        signature(signatory, above=[*[NO_BREAK_SPACE] * (depth - len(above)), *above])
        for signatory, above in signers
    ]
    if len(blocks) == 1:
        blocks.insert(0, "")
    table = Table([blocks], colWidths=[width / len(blocks)] * len(blocks))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def draw(flowable, pdf, x, top, width):
    """Draw a flowable on a canvas with its top at `top`; the height it took."""
    _, height = flowable.wrapOn(pdf, width, top)
    flowable.drawOn(pdf, x, top - height)
    return height


def document(title, author="", pagesize=A4):
    """A buffer and an A4 document on it, with the standard margins."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=clean(title),
        author=clean(author),
    )
    return buffer, doc


@translation.override("id")
def notice(head, title, reason):
    """A valid one-page document that says why there is nothing to print."""
    buffer, doc = document(title, head.organiser if head else "")
    story = [letterhead(head, doc.width), Spacer(1, 10 * mm)] if head else []
    story += [paragraph(title, style=HEAD), Spacer(1, 6 * mm), paragraph(reason, style=CENTER)]
    doc.build(story)
    return buffer.getvalue()


# -- text fitted on a canvas ---------------------------------------------------------


def fit(text, font, size, width, *, min_size, max_lines=1):
    """The largest size from `size` down to `min_size` (half points) at which `text`
    takes at most `max_lines` lines of `width`, and those lines. Text that does not
    fit even so (a word wider than the box, say) is broken inside its words and made
    smaller still: it never leaves its box."""
    text = clean(text)
    current = size
    while current >= min_size:
        lines = simpleSplit(text, font, current, width)
        if len(lines) <= max_lines and _within(lines, font, current, width):
            return current, lines
        current -= 0.5
    current = min_size
    while True:
        lines = [
            piece
            for line in simpleSplit(text, font, current, width)
            for piece in _broken(line, font, current, width)
        ]
        if len(lines) <= max_lines or current <= 1:
            return current, lines
        current -= 0.5


def _within(lines, font, size, width):
    return all(pdfmetrics.stringWidth(line, font, size) <= width for line in lines)


def _broken(line, font, size, width):
    """A line wider than `width` (one long word) cut into pieces that fit."""
    pieces, piece = [], ""
    for char in line:
        if piece and pdfmetrics.stringWidth(piece + char, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


@dataclass(frozen=True)
class Line:
    """A line of a canvas document: its text, and how it may be fitted (`fit`)."""

    text: str
    font: str = "Vera"
    size: float = 10
    min_size: float = 6
    max_lines: int = 1
    space_after: float = 0


def draw_lines(pdf, lines, *, x, top, width, center=False):
    """Draw `lines` one below the other from `top`, each fitted to `width`, centred on
    `x` or from it; returns where the next line would begin."""
    for line in lines:
        top -= _draw_fitted(
            pdf,
            line.text,
            font=line.font,
            size=line.size,
            min_size=line.min_size,
            x=x,
            top=top,
            width=width,
            max_lines=line.max_lines,
            center=center,
        )
        top -= line.space_after
    return top


def _draw_fitted(pdf, text, *, font, size, min_size, x, top, width, max_lines=1, center=False):
    """Draw `text` fitted (`fit`) below `top`, centred on `x` or from it; the height
    it took."""
    size, lines = fit(text, font, size, width, min_size=min_size, max_lines=max_lines)
    leading = size * 1.2
    pdf.setFont(font, size)
    for number, line in enumerate(lines, start=1):
        y = top - number * leading + size * 0.2
        if center:
            pdf.drawCentredString(x, y, line)
        else:
            pdf.drawString(x, y, line)
    return len(lines) * leading


# -- QR codes ------------------------------------------------------------------------


def draw_qr(pdf, value, x, y, size):
    """A QR code of `value`, with its quiet zone, in the square of `size` whose lower
    left corner is (x, y): one path of the dark runs of each row, so that a hundred
    codes draw in a blink."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    count = code.getModuleCount()
    module = size / (count + 2 * QUIET_ZONE)
    path = pdf.beginPath()
    for row_number, row in enumerate(code.modules):
        column = 0
        for dark, run in itertools.groupby(map(bool, row)):
            length = len(list(run))
            if dark:
                path.rect(
                    x + (QUIET_ZONE + column) * module,
                    y + size - (QUIET_ZONE + row_number + 1) * module,
                    length * module,
                    module,
                )
            column += length
    pdf.saveState()
    pdf.setFillColor(colors.black)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.restoreState()
