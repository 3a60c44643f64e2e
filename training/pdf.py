"""Printable documents of an event: the daftar hadir, certificates, participant cards
and the category summary, each on the organiser's letterhead (`kampungkb.pdf`).

A4, TrueType fonts embedded (Bitstream Vera, shipped with reportlab), wholly in
Indonesian whatever the interface language, since these go into the SPJ file.
What is the same on every certificate or card (the letterhead, the border, the
signature) is drawn once as a form and placed on each page.
"""

from io import BytesIO

from django.utils import formats, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Spacer, Table

from kampungkb.pdf import (
    BODY,
    CENTER,
    HEAD,
    MARGIN,
    Line,
    Signatory,
    document,
    draw,
    draw_lines,
    draw_qr,
    draw_signature,
    grid_style,
    headings,
    indonesian_date,
    letterhead,
    notice,
    paragraph,
    place_and_date,
    signatures,
)

#: Blank rows at the end of a daftar hadir when the print does not say: walk-ins.
BLANK_ROWS = 10
MAX_BLANK_ROWS = 200


def dates_and_times(days):
    """Each day with its hours: "Selasa, 27 Maret 2018, pukul 08.00–16.00 WIB"."""
    return [f"{indonesian_date(day.date)}, pukul {day.hours()}" for day in days]


def _when(days):
    if not days:
        return "(tanggal menyusul)"
    first, last = indonesian_date(days[0].date, "j F Y"), indonesian_date(days[-1].date, "j F Y")
    return first if len(days) == 1 else f"{first} – {last}"


def _heading(event, office, title, *lines):
    head = office.letterhead()
    return [
        letterhead(head, A4[0] - 2 * MARGIN),
        Spacer(1, 5 * mm),
        paragraph(title, style=HEAD),
        paragraph(event.title, style=CENTER),
        *[paragraph(line, style=CENTER) for line in lines],
        Spacer(1, 5 * mm),
    ]


def empty(event, title, reason):
    """The one page printed instead of a document with nothing in it."""
    return notice(event.office().letterhead(), f"{title} — {event.title}", reason)


@translation.override("id")  # an SPJ document, whatever the UI language
def attendance_list(event, day, registrations, blank_rows=BLANK_ROWS):
    """The daftar hadir of one day: numbered rows, the signature column alternating
    sides, then `blank_rows` numbered rows for those who come unregistered."""
    office = event.office()
    buffer, doc = document(f"Daftar hadir {event.title}", event.organiser.name)
    rows = [headings(["No", "Nama", "Kategori", "Instansi / Kampung KB", "Tanda tangan", ""])]
    for number, registration in enumerate(registrations, start=1):
        rows.append(
            [
                number,
                paragraph(registration.printed_name),
                paragraph(str(registration.get_category_display())),
                paragraph(str(registration.institution)),
                *_signing_cells(number),
            ]
        )
    for number in range(len(registrations) + 1, len(registrations) + blank_rows + 1):
        rows.append([number, "", "", "", *_signing_cells(number)])
    table = Table(
        rows,
        colWidths=[10 * mm, 44 * mm, 36 * mm, 46 * mm, 22 * mm, 22 * mm],
        repeatRows=1,
        # Room to sign on every row, and more where a long name or unit needs it.
        minRowHeights=[0] + [11 * mm] * (len(rows) - 1),
    )
    style = grid_style()
    style.add("SPAN", (4, 0), (5, 0))
    style.add("LINEAFTER", (4, 1), (4, -1), 0, colors.white)
    table.setStyle(style)
    story = _heading(
        event,
        office,
        "DAFTAR HADIR",
        *dates_and_times([day]),
        f"Tempat: {event.venue}",
    )
    story += [
        table,
        Spacer(1, 8 * mm),
        signatures(
            doc.width,
            (Signatory("Ketua Panitia", event.committee_chair), []),
            (
                event.signatory(office),
                [place_and_date(event.city.place, day.date), "Mengetahui,"],
            ),
        ),
    ]
    doc.build(story)
    return buffer.getvalue()


def _signing_cells(number):
    sign = f"{number}. ........"
    return [sign, ""] if number % 2 else ["", sign]


@translation.override("id")  # an SPJ document, whatever the UI language
def certificates(event, registrations, verify_url):
    """One landscape page per certificate; `verify_url(code)` goes into the QR code."""
    office = event.office()
    days = list(event.days.all())
    buffer = BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Sertifikat {event.title}")
    pdf.setAuthor(event.organiser.name)
    pdf.beginForm("frame")
    body_top = _certificate_frame(pdf, event, office, days[-1].date if days else None)
    pdf.endForm()
    for registration in registrations:
        pdf.doForm("frame")
        lines = [
            Line(f"Nomor: {registration.certificate_number}", size=11, space_after=4 * mm),
            Line("diberikan kepada", size=12, space_after=4 * mm),
            Line(registration.attendee.name, "VeraBd", 26, 12, 2, 4 * mm),
            Line(f"sebagai {registration.get_category_display()}", size=12, space_after=2 * mm),
            Line(f"dalam kegiatan {event.title}", size=12, min_size=8, max_lines=2),
            Line(f"{_when(days)}, {event.venue}", size=11, min_size=8, max_lines=2),
        ]
        draw_lines(pdf, lines, x=width / 2, top=body_top, width=width - 70 * mm, center=True)
        draw_qr(pdf, verify_url(registration.certificate_code), 22 * mm, 26 * mm, 30 * mm)
        pdf.setFont("Vera", 7)
        pdf.drawString(
            25 * mm, 23 * mm, f"Kode pemeriksaan: {registration.printed_certificate_code}"
        )
        pdf.drawString(25 * mm, 19 * mm, "Pindai untuk memeriksa keaslian")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _certificate_frame(pdf, event, office, last_day):
    """What every certificate of the event shares: the border, the letterhead, the
    title and the signature. Returns where the certificate's own text begins."""
    width, height = landscape(A4)
    pdf.setStrokeColor(colors.HexColor("#0b6e4f"))
    pdf.setLineWidth(4)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    inner = width - 50 * mm
    top = height - 18 * mm
    top -= draw(letterhead(office.letterhead(), inner), pdf, 25 * mm, top, inner)
    pdf.setFont("VeraBd", 28)
    pdf.setFillColor(colors.HexColor("#0b6e4f"))
    pdf.drawCentredString(width / 2, top - 14 * mm, "SERTIFIKAT")
    pdf.setFillColor(colors.black)
    above = [place_and_date(event.city.place, last_day)] if last_day else []
    draw_signature(
        pdf,
        event.signatory(office),
        above=above,
        x=width - 25 * mm - 45 * mm,
        bottom=18 * mm,
        width=90 * mm,
    )
    return top - 22 * mm


#: Cards of 90 × 55 mm, two across and five down an A4 page.
CARD_WIDTH, CARD_HEIGHT = 90 * mm, 55 * mm
CARD_QR = 27 * mm
CARD_PAD = 3.5 * mm
CARD_POSITIONS = [
    (15 * mm + column * (CARD_WIDTH + 5 * mm), A4[1] - 12 * mm - (row + 1) * (CARD_HEIGHT + 2 * mm))
    for row in range(5)
    for column in range(2)
]


@translation.override("id")  # an SPJ document, whatever the UI language
def participant_cards(event, registrations):
    """Cards of 90 × 55 mm, ten to a page, each with the check-in QR code: a door
    pass, read by its code; it carries the letterhead but no signature."""
    office = event.office()
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Kartu peserta {event.title}")
    pdf.setAuthor(event.organiser.name)
    pdf.beginForm("card")
    text_top = _card_frame(pdf, event, office)
    pdf.endForm()
    for index, registration in enumerate(registrations):
        if index and index % len(CARD_POSITIONS) == 0:
            pdf.showPage()
        x, y = CARD_POSITIONS[index % len(CARD_POSITIONS)]
        pdf.saveState()
        pdf.translate(x, y)
        pdf.doForm("card")
        lines = [
            Line(registration.attendee.name, "VeraBd", 11, 6, 2, 1 * mm),
            Line(str(registration.get_category_display()), size=8, space_after=1 * mm),
            Line(str(registration.institution), size=8, min_size=5, max_lines=3),
        ]
        draw_lines(pdf, lines, x=CARD_PAD, top=text_top, width=CARD_WIDTH - CARD_QR - 2 * CARD_PAD)
        pdf.setFont("VeraBd", 12)
        pdf.drawString(CARD_PAD, 4 * mm, registration.checkin_code)
        draw_qr(pdf, registration.checkin_code, CARD_WIDTH - CARD_QR - 1 * mm, 1 * mm, CARD_QR)
        pdf.restoreState()
    pdf.save()
    return buffer.getvalue()


def _card_frame(pdf, event, office):
    """The card's edge, the organiser's logo and short name, the event's title.
    Returns where the participant's own text begins."""
    pdf.setLineWidth(0.5)
    pdf.rect(0, 0, CARD_WIDTH, CARD_HEIGHT)
    head = office.letterhead()
    top = CARD_HEIGHT - 2.5 * mm
    left = CARD_PAD
    if head.logo:
        pdf.drawImage(
            head.logo, left, top - 9 * mm, 9 * mm, 9 * mm, preserveAspectRatio=True, mask="auto"
        )
        left += 11 * mm
    heading = [
        Line(f"{event.organiser.abbreviation} {event.city.name}".upper(), "VeraBd", 7, 5),
        Line(event.title, size=7, min_size=5, max_lines=2),
    ]
    draw_lines(pdf, heading, x=left, top=top, width=CARD_WIDTH - left - CARD_PAD)
    rule = CARD_HEIGHT - 13 * mm
    pdf.line(CARD_PAD, rule, CARD_WIDTH - CARD_PAD, rule)
    return rule - 1.5 * mm


@translation.override("id")  # an SPJ document, whatever the UI language
def summary(event, days, rows, total, others):
    """The category summary table, as in the Pasuruan article, with the rule that
    decides who gets a certificate, signed."""
    office = event.office()
    buffer, doc = document(f"Rekap peserta {event.title}", event.organiser.name)
    heading = [
        "Kategori",
        "Terdaftar",
        "Daftar tunggu",
        *[f"Hadir {formats.date_format(day.date, 'd/m')}" for day in days],
    ]
    body = [
        [
            str(r.label),
            *[formats.number_format(n) for n in (r.registered, r.waitlisted, *r.present)],
        ]
        for r in [*rows, total, *others]
    ]
    counts = doc.width - 50 * mm
    table = Table(
        [headings(heading), *body],
        colWidths=[50 * mm, *[counts / (len(heading) - 1)] * (len(heading) - 1)],
        repeatRows=1,
    )
    style = grid_style()
    style.add("ALIGN", (1, 1), (-1, -1), "RIGHT")
    style.add("FONT", (0, len(rows) + 1), (-1, len(rows) + 1), "VeraBd", 9)
    table.setStyle(style)
    above = [place_and_date(event.city.place, days[-1].date)] if days else []
    story = _heading(
        event, office, "REKAPITULASI PESERTA", *dates_and_times(days), f"Tempat: {event.venue}"
    )
    story += [
        table,
        Spacer(1, 4 * mm),
        paragraph(event.certificate_rule(), style=BODY),
        Spacer(1, 8 * mm),
        signatures(doc.width, (event.signatory(office), above)),
    ]
    doc.build(story)
    return buffer.getvalue()
