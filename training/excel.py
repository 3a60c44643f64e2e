"""Training spreadsheets: participants with their attendance, and the category summary."""

from io import BytesIO

from openpyxl import Workbook

from kampungkb import xlsx

from .services import attendance_grid


def _bytes(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def participants(event):
    days = list(event.days.all())
    grid = attendance_grid(days)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Peserta")
    heading = [
        "No",
        "Nama",
        "Terdaftar atas nama",
        "Kategori",
        "Instansi / Kampung KB",
        "Status",
        "Nomor sertifikat",
        *[f"{d.date:%d-%m-%Y}" for d in days],
    ]
    xlsx.append(sheet, heading)
    registrations = event.registrations.shown().order_by("person__name", "id")
    for number, r in enumerate(registrations, start=1):
        xlsx.append(
            sheet,
            [
                number,
                r.attendee.name,
                r.person.name if r.substitute else "",
                str(r.get_category_display()),
                str(r.institution),
                r.get_status_display(),
                r.certificate_number or "",
                *[grid.get((r.pk, d.pk), "") for d in days],
            ],
        )
    return _bytes(workbook)


def summary(days, rows, total, others):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Rekap")
    heading = [
        "Kategori",
        "Terdaftar",
        "Daftar tunggu",
        *[f"Hadir {d.date:%d-%m-%Y}" for d in days],
    ]
    xlsx.append(sheet, heading)
    for line in [*rows, total, *others]:
        xlsx.append(sheet, [str(line.label), line.registered, line.waitlisted, *line.present])
    return _bytes(workbook)
