"""What every PDF of the app shares: embedded fonts, styles, Indonesian dates, and
the one safe way to put user text into a paragraph.

reportlab reads a `Paragraph`'s text as markup: an ``<img>`` in it loads a file
from the server's disk, an ``<a>`` makes a live link, and anything that is not
valid markup stops the document. So user text reaches a paragraph only through
`paragraph`, which escapes it; text drawn on a canvas (`drawString`) is literal.
"""

import re
from xml.sax.saxutils import escape

from django.utils import formats, translation
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, TableStyle

pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
# Every canvas starts in an embedded font, so no unembedded Helvetica is referenced.
rl_config.canvas_basefontname = "Vera"

BODY = ParagraphStyle("body", fontName="Vera", fontSize=9, leading=11)
CENTER = ParagraphStyle("center", parent=BODY, alignment=1)
HEAD = ParagraphStyle("head", parent=CENTER, fontName="VeraBd", fontSize=12, leading=15)

#: Control characters, which neither the markup parser nor the fonts can take.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def paragraph(*lines, style=BODY):
    """A paragraph of `lines` (user text or not), each shown exactly as written and
    on a line of its own."""
    return Paragraph(
        "<br/>".join(escape(CONTROL.sub("", str(line))).replace("\n", "<br/>") for line in lines),
        style,
    )


def indonesian_date(date, format="l, j F Y"):
    """Documents for the accountability file are in Indonesian whatever the UI language."""
    with translation.override("id"):
        return formats.date_format(date, format)


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
