"""Training spreadsheets: participants with their attendance, and the category summary."""

from io import BytesIO

from openpyxl import Workbook

from .models import Registration
from .services import attendance_grid


def _bytes(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def participants(event):
    days = list(event.days.all())
    grid = attendance_grid(event)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Peserta")
    sheet.append(
        [
            "No",
            "Nama",
            "Terdaftar atas nama",
            "Kategori",
            "Instansi / Kampung KB",
            "Status",
            "Nomor sertifikat",
            *[f"{d.date:%d-%m-%Y}" for d in days],
        ]
    )
    registrations = event.registrations.select_related(
        "person", "substitute", "kampung", "agency"
    ).order_by("person__name", "id")
    statuses = dict(Registration.Status.choices)
    for number, r in enumerate(registrations, start=1):
        sheet.append(
            [
                number,
                r.attendee.name,
                r.person.name if r.substitute else "",
                str(r.get_category_display()),
                str(r.institution),
                str(statuses[r.status]),
                r.certificate_number or "",
                *[grid.get((r.pk, d.pk), "") for d in days],
            ]
        )
    return _bytes(workbook)


def summary(days, rows, total, others):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Rekap")
    sheet.append(
        ["Kategori", "Terdaftar", "Daftar tunggu", *[f"Hadir {d.date:%d-%m-%Y}" for d in days]]
    )
    for row in [*rows, total, *others]:
        sheet.append([str(row.label), row.registered, row.waitlisted, *row.present])
    return _bytes(workbook)
