"""Printable documents: the daftar hadir, certificates, participant cards, summary.

A4, TrueType fonts embedded (Bitstream Vera, shipped with reportlab), wholly in
Indonesian whatever the interface language, since these go into the SPJ file.
"""

from io import BytesIO

from django.utils import formats, translation
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from kampungkb.pdf import CENTER, HEAD, grid_style, indonesian_date, paragraph


def _letterhead(event):
    return [
        paragraph(event.organiser.name.upper(), style=HEAD),
        paragraph(event.city.name.upper(), style=CENTER),
        Spacer(1, 3 * mm),
    ]


@translation.override("id")  # an SPJ document, whatever the UI language
def attendance_list(event, day, registrations):
    """The daftar hadir of one day: numbered rows, signature column alternating sides."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Daftar hadir {event.title}",
        author=event.organiser.name,
    )
    story = _letterhead(event) + [
        paragraph("DAFTAR HADIR", style=HEAD),
        paragraph(event.title, style=CENTER),
        paragraph(f"{indonesian_date(day.date)} — {event.venue}", style=CENTER),
        Spacer(1, 5 * mm),
    ]
    rows = [["No", "Nama", "Kategori", "Instansi / Kampung KB", "Tanda tangan", ""]]
    for number, registration in enumerate(registrations, start=1):
        sign = f"{number}. ........"
        rows.append(
            [
                number,
                paragraph(registration.printed_name),
                paragraph(str(registration.get_category_display())),
                paragraph(str(registration.institution)),
                sign if number % 2 else "",
                "" if number % 2 else sign,
            ]
        )
    table = Table(
        rows,
        colWidths=[10 * mm, 50 * mm, 32 * mm, 45 * mm, 22 * mm, 22 * mm],
        repeatRows=1,
        # Room to sign on every row, and more where a long name or unit needs it.
        minRowHeights=[0] + [11 * mm] * (len(rows) - 1),
    )
    style = grid_style()
    style.add("SPAN", (4, 0), (5, 0))
    style.add("LINEAFTER", (4, 1), (4, -1), 0, colors.white)
    table.setStyle(style)
    story += [
        table,
        Spacer(1, 10 * mm),
        paragraph(event.committee_chair or "", "Ketua Panitia"),
    ]
    doc.build(story)
    return buffer.getvalue()


def _qr(value, size):
    widget = QrCodeWidget(value)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


@translation.override("id")  # an SPJ document, whatever the UI language
def certificates(event, registrations, verify_url):
    """One landscape page per certificate; `verify_url(code)` goes into the QR code."""
    buffer = BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Sertifikat {event.title}")
    days = list(event.days.all())
    dates = (
        (
            indonesian_date(days[0].date)
            if len(days) == 1
            else f"{indonesian_date(days[0].date)} – {indonesian_date(days[-1].date)}"
        )
        if days
        else ""
    )
    for registration in registrations:
        pdf.setStrokeColor(colors.HexColor("#0b6e4f"))
        pdf.setLineWidth(4)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        lines = [
            ("VeraBd", 14, event.organiser.name.upper(), 170),
            ("VeraBd", 30, "SERTIFIKAT", 150),
            ("Vera", 11, f"Nomor: {registration.certificate_number}", 140),
            ("Vera", 9, f"Kode pemeriksaan: {registration.printed_certificate_code}", 134),
            ("Vera", 12, "diberikan kepada", 122),
            ("VeraBd", 24, registration.attendee.name, 108),
            ("Vera", 12, f"sebagai {registration.get_category_display()}", 96),
            ("Vera", 12, f"dalam kegiatan {event.title}", 84),
            ("Vera", 11, f"{dates}, {event.venue}", 74),
        ]
        for font, size, text, y in lines:
            pdf.setFont(font, size)
            pdf.drawCentredString(width / 2, y * mm, text)
        pdf.setFont("Vera", 11)
        pdf.drawCentredString(width * 0.72, 52 * mm, event.signatory_title or "")
        pdf.setFont("VeraBd", 11)
        pdf.drawCentredString(width * 0.72, 30 * mm, event.signatory_name or "")
        renderPDF.draw(
            _qr(verify_url(registration.certificate_code), 32 * mm), pdf, 22 * mm, 20 * mm
        )
        pdf.setFont("Vera", 7)
        pdf.drawString(22 * mm, 17 * mm, "Pindai untuk memeriksa keaslian")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@translation.override("id")  # an SPJ document, whatever the UI language
def participant_cards(event, registrations):
    """Cards of 90 × 55 mm, ten to a page, each with the check-in QR code."""
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Kartu peserta {event.title}")
    card_w, card_h = 90 * mm, 55 * mm
    positions = [
        (15 * mm + col * (card_w + 5 * mm), A4[1] - 15 * mm - (row + 1) * card_h)
        for row in range(5)
        for col in range(2)
    ]
    for index, registration in enumerate(registrations):
        if index and index % len(positions) == 0:
            pdf.showPage()
        x, y = positions[index % len(positions)]
        pdf.setLineWidth(0.5)
        pdf.rect(x, y, card_w, card_h)
        pdf.setFont("VeraBd", 7)
        title_lines = simpleSplit(event.title, "VeraBd", 7, card_w - 8 * mm)[:2]
        for line_number, line in enumerate(title_lines):
            pdf.drawString(x + 4 * mm, y + card_h - (6 + 3 * line_number) * mm, line)
        pdf.setFont("VeraBd", 11)
        pdf.drawString(x + 4 * mm, y + card_h - 16 * mm, registration.attendee.name[:32])
        pdf.setFont("Vera", 8)
        pdf.drawString(x + 4 * mm, y + card_h - 22 * mm, str(registration.get_category_display()))
        pdf.drawString(x + 4 * mm, y + card_h - 27 * mm, str(registration.institution)[:40])
        pdf.setFont("VeraBd", 12)
        pdf.drawString(x + 4 * mm, y + 6 * mm, registration.checkin_code)
        renderPDF.draw(
            _qr(registration.checkin_code, 30 * mm), pdf, x + card_w - 33 * mm, y + 3 * mm
        )
    pdf.save()
    return buffer.getvalue()


@translation.override("id")  # an SPJ document, whatever the UI language
def summary(event, days, rows, total, others):
    """The category summary table, as in the Pasuruan article."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"Rekap peserta {event.title}")
    heading = [
        "Kategori",
        "Terdaftar",
        "Daftar tunggu",
        *[f"Hadir {formats.date_format(day.date, 'd/m')}" for day in days],
    ]
    body = [[str(r.label), r.registered, r.waitlisted, *r.present] for r in [*rows, total, *others]]
    table = Table([heading, *body], repeatRows=1)
    style = grid_style()
    style.add("FONT", (0, len(rows) + 1), (-1, len(rows) + 1), "VeraBd", 9)
    table.setStyle(style)
    doc.build(
        _letterhead(event)
        + [
            paragraph("REKAPITULASI PESERTA", style=HEAD),
            paragraph(event.title, style=CENTER),
            Spacer(1, 5 * mm),
            table,
        ]
    )
    return buffer.getvalue()
