"""Training spreadsheets: participants with their attendance, and the category summary."""

from django.utils import formats

from kampungkb import xlsx

from .models import Attendance
from .services import attendance_grid


def _day(day):
    return formats.date_format(day.date, "d/m/Y")


def participants(event):
    days = list(event.days.all())
    grid = attendance_grid(days)
    statuses = dict(Attendance.Status.choices)
    headings = [
        "No",
        "Nama",
        "Terdaftar atas nama",
        "Kategori",
        "Instansi / Kampung KB",
        "Status",
        "Nomor sertifikat",
        *[f"Hadir {_day(d)}" for d in days],
    ]
    registrations = event.registrations.shown().order_by("person__name", "id")
    rows = (
        [
            number,
            r.attendee.name,
            r.person.name if r.substitute else "",
            r.get_category_display(),
            r.institution,
            r.get_status_display(),
            r.certificate_number or "",
            *[str(statuses.get(grid.get((r.pk, d.pk)), "")) for d in days],
        ]
        for number, r in enumerate(registrations, start=1)
    )
    workbook = xlsx.new_workbook()
    xlsx.add_table(workbook, "Peserta", headings, rows)
    return xlsx.workbook_bytes(workbook)


def summary(days, rows, total, others):
    headings = ["Kategori", "Terdaftar", "Daftar tunggu", *[f"Hadir {_day(d)}" for d in days]]
    lines = (
        [str(line.label), line.registered, line.waitlisted, *line.present]
        for line in [*rows, total, *others]
    )
    workbook = xlsx.new_workbook()
    xlsx.add_table(workbook, "Rekap", headings, lines)
    return xlsx.workbook_bytes(workbook)
