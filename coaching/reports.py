"""The monthly coaching report of a kecamatan, as PDF and spreadsheet."""

from io import BytesIO

from django.utils import formats, translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from kampungkb import xlsx
from kampungkb.pdf import CENTER, HEAD, grid_style, indonesian_date, paragraph

VISIT_HEADING = ["Tanggal", "Kampung KB", "Status", "Instansi", "Temuan"]
NEED_HEADING = ["Kampung KB", "Kategori", "Uraian", "Instansi", "Status"]


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
def monthly_pdf(report):
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        title=f"Laporan pembinaan {report.district} {report.month:%m-%Y}",
    )

    def table(heading, rows, widths):
        cells = [heading, *[[paragraph(c) for c in row] for row in rows]]
        # A finding may run longer than a page: its row continues on the next one.
        result = Table(cells, colWidths=widths, repeatRows=1, splitInRow=1)
        result.setStyle(grid_style())
        return result

    story = [
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
        table(
            VISIT_HEADING,
            _visit_rows(report),
            [20 * mm, 40 * mm, 22 * mm, 30 * mm, 68 * mm],
        ),
        Spacer(1, 4 * mm),
        paragraph("Kebutuhan baru", style=HEAD),
        table(
            NEED_HEADING,
            _need_rows(report.needs_opened),
            [35 * mm, 28 * mm, 70 * mm, 22 * mm, 25 * mm],
        ),
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
