"""The monthly coaching report of a kecamatan, as PDF and spreadsheet."""

from django.utils import formats, translation
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from kampungkb import xlsx
from kampungkb.pdf import (
    CENTER,
    HEAD,
    SUBHEAD,
    document,
    grid,
    indonesian_date,
    letterhead,
    paragraph,
    place_and_date,
    signatures,
)

VISIT_HEADING = ["Tanggal", "Kampung KB", "Status", "Instansi", "Temuan"]
NEED_HEADING = ["Kampung KB", "Kategori", "Uraian", "Instansi", "Status"]
# Wide enough for a date ("17-08-2018") and the longest status ("Terverifikasi",
# "Teridentifikasi") on one line; the free text takes the rest of the 180 mm.
VISIT_WIDTHS = [24 * mm, 38 * mm, 28 * mm, 30 * mm, 60 * mm]
NEED_WIDTHS = [34 * mm, 30 * mm, 52 * mm, 28 * mm, 36 * mm]


def _visit_rows(report):
    return [
        [
            formats.date_format(v.date, "d-m-Y"),
            v.kampung.name,
            v.get_status_display(),
            ", ".join(a.abbreviation for a in v.agencies_present.all()),
            v.findings,
        ]
        for v in report.visits
    ]


def _need_rows(needs):
    return [
        [
            n.kampung.name,
            n.get_category_display(),
            n.description,
            n.agency.abbreviation if n.agency else "",
            n.get_status_display(),
        ]
        for n in needs
    ]


@translation.override("id")  # an official report, whatever the UI language
def monthly_pdf(report, head, signatory, printed_on):
    """The report on `head`'s letterhead, signed by `signatory` on `printed_on`."""
    title = f"Laporan pembinaan {report.district} {report.month:%m-%Y}"
    buffer, doc = document(title, head.organiser)
    story = [
        letterhead(head, doc.width),
        Spacer(1, 5 * mm),
        paragraph("LAPORAN PEMBINAAN KAMPUNG KB", style=HEAD),
        paragraph(
            f"Kecamatan {report.district} — {indonesian_date(report.month, 'F Y')}", style=CENTER
        ),
        Spacer(1, 4 * mm),
        paragraph(
            f"Kunjungan: {len(report.visits)} dari {report.planned} rencana; "
            f"terlewat {report.missed}. Kebutuhan baru: {len(report.needs_opened)}; "
            f"terpenuhi: {len(report.needs_met)}."
        ),
        Spacer(1, 4 * mm),
        paragraph("Kunjungan dan temuan", style=SUBHEAD),
        grid(VISIT_HEADING, _visit_rows(report), VISIT_WIDTHS),
    ]
    for heading, needs in (
        ("Kebutuhan baru", report.needs_opened),
        ("Kebutuhan terpenuhi", report.needs_met),
    ):
        story += [
            Spacer(1, 4 * mm),
            paragraph(heading, style=SUBHEAD),
            grid(NEED_HEADING, _need_rows(needs), NEED_WIDTHS),
        ]
    story += [
        Spacer(1, 8 * mm),
        signatures(doc.width, (signatory, [place_and_date(head.place, printed_on)])),
    ]
    doc.build(story)
    return buffer.getvalue()


def monthly_xlsx(report):
    workbook = xlsx.new_workbook()
    visits = (
        [v.date, *[str(c) for c in row[1:]]]
        for v, row in zip(report.visits, _visit_rows(report), strict=True)
    )
    xlsx.add_table(workbook, "Kunjungan", VISIT_HEADING, visits)
    for title, needs in (
        ("Kebutuhan baru", report.needs_opened),
        ("Kebutuhan terpenuhi", report.needs_met),
    ):
        xlsx.add_table(
            workbook, title, NEED_HEADING, ([str(c) for c in row] for row in _need_rows(needs))
        )
    return xlsx.workbook_bytes(workbook)
