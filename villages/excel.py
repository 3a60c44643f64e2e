"""Excel in and out: the village export, and imports validated row by row.

Every imported row goes through the same form as the page does, so an import
accepts exactly what the forms accept and reports the same messages.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from io import BytesIO
from itertools import islice
from zipfile import BadZipFile, ZipFile

from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from kampungkb import xlsx
from kampungkb.downloads import download

from .access import visible_cities, visible_kelurahan
from .forms import PersonForm, VillageForm
from .models import USER_FIELDS, ProfileSnapshot

#: The lists of a profile that the export shows, as their stored values.
LIST_FIELDS = ("programmes", "data_used", "operational_activities")

EXPORT_CHUNK = 2000
MAX_IMPORT_ROWS = 5000  # rows of data; blank rows are skipped and not counted
#: Lines a sheet may have, blank ones included: past this, the file is refused unread.
MAX_SHEET_LINES = 20_000
#: What a workbook may unpack to. The 2 MB upload limit weighs the compressed file,
#: which can hold a gigabyte of repeated text.
MAX_UNPACKED_BYTES = 10 * 1024 * 1024

EXPORT_COLUMNS = [
    "Kode kelurahan",
    "Kelurahan",
    "Kecamatan",
    "Nama Kampung KB",
    "RW",
    "Tanggal pencanangan",
    "Nomor SK",
    "Status",
    "Klasifikasi",
    "Bulan profil",
    "Pokja terbentuk",
    "Pokja ber-SK",
    "Pokja terlatih",
    "PKB pendamping",
    "Sumber dana",
    "Regulasi",
    "Program yang ada",
    "Data yang dipakai",
    "Kegiatan operasional",
    "PUS",
    "IUD",
    "Implan",
    "MOW",
    "MOP",
    "Suntik",
    "Pil",
    "Kondom",
    "Lainnya",
    "IAT",
    "TIAL",
    "CPR (%)",
    "MKJP (%)",
    "Unmet need (%)",
]


def _snapshot_cells(s, yes_no):
    if s is None:
        return []
    flags = [s.pokja_formed, s.pokja_has_sk, s.pokja_trained, s.pkb_assigned]
    return [
        s.month.strftime("%Y-%m"),
        *(yes_no[flag] for flag in flags),
        ", ".join(s.funding_sources),
        yes_no[s.regulation_in_place],
        *(", ".join(getattr(s, field)) for field in LIST_FIELDS),
        s.pus,
        *(getattr(s, f) for f in USER_FIELDS),
        s.iat,
        s.tial,
        s.cpr,
        s.mkjp_share,
        s.unmet_need,
    ]


def _export_rows(villages):
    """One row per village with its latest profile; two queries per chunk of villages."""
    yes_no = {True: _("Ya"), False: _("Tidak")}
    villages = villages.select_related("kelurahan__district").order_by("pk")
    iterator = villages.iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(iterator, EXPORT_CHUNK)):
        snapshots = ProfileSnapshot.objects.filter(kampung__in=[v.pk for v in chunk])
        latest = snapshots.latest_by_village()
        for v in chunk:
            yield [
                v.kelurahan.code,
                v.kelurahan.name,
                v.kelurahan.district.name,
                v.name,
                v.rw_covered,
                v.launched_on,
                v.sk_number,
                v.get_status_display(),
                v.get_level_display(),
                *_snapshot_cells(latest.get(v.pk), yes_no),
            ]


def stream_village_export(villages):
    """Yield the bytes of the .xlsx as its rows are read: the download starts at once
    and memory stays flat however many villages there are."""
    return xlsx.stream_sheet("Kampung KB", EXPORT_COLUMNS, _export_rows(villages))


# -- import ---------------------------------------------------------------------------


@dataclass
class Preview:
    rows: list = field(default_factory=list)  # (line number, data dict, errors list)
    file_error: str = ""

    @property
    def is_valid(self):
        return not self.file_error and bool(self.rows) and not any(e for _, _, e in self.rows)

    @property
    def error_count(self):
        return sum(1 for _, _, errors in self.rows if errors)

    def raw_rows(self):
        return [(line, data) for line, data, _ in self.rows]


class Importer:
    """Reads a sheet whose first row names the columns; each row is checked by `form_class`."""

    columns: dict  # heading in the sheet -> form field
    form_class = None
    title = ""
    example = ()

    def __init__(self, user):
        self.user = user

    def template(self):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(list(self.columns))
        sheet.append(list(self.example))
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def read(self, upload):
        """The rows of an uploaded workbook, each checked; or why the file is refused."""
        problem = _archive_problem(upload)
        if problem:
            return Preview(file_error=problem)
        try:
            workbook = load_workbook(upload, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a file that is not xlsx
            return Preview(file_error=_not_a_workbook())
        sheet = workbook.active
        if (sheet.max_row or 0) > MAX_SHEET_LINES:
            return Preview(file_error=_too_long())
        sheet.reset_dimensions()  # read every row, not only those the sheet says it has
        rows = sheet.iter_rows(values_only=True)
        headings = [str(h or "").strip() for h in next(rows, ())]
        missing = [c for c in self.columns if c not in headings]
        if missing:
            return Preview(
                file_error=_("Kolom tidak ditemukan: %(cols)s. Pakai templat.")
                % {"cols": ", ".join(missing)}
            )
        data = []
        for line, values in enumerate(rows, start=2):
            if line > MAX_SHEET_LINES:  # the sheet's stated size was wrong
                return Preview(file_error=_too_long())
            if all(v in (None, "") for v in values):
                continue
            if len(data) == MAX_IMPORT_ROWS:
                return Preview(
                    file_error=_("Maksimal %(n)d baris data per berkas.") % {"n": MAX_IMPORT_ROWS}
                )
            record = dict(zip(headings, values, strict=False))
            data.append((line, {c: _cell(record.get(c)) for c in self.columns}))
        if not data:
            return Preview(file_error=_("Berkas tidak berisi baris data di bawah judul kolom."))
        return self.check(data)

    def check(self, data):
        """Check each (line, record) as the form would, and each unique column across
        the file, so that every problem is a row message before anything is saved."""
        preview = Preview()
        first_line_of = {column: {} for column in self.unique_columns}
        for line, record in data:
            form = self.form_for(record)
            errors = [] if form.is_valid() else _flatten(form)
            errors += [_too_long_cell(c) for c, v in record.items() if len(v) > xlsx.CELL_LIMIT]
            for column, seen in first_line_of.items():
                value = record[column]
                if value and value in seen:
                    errors.append(
                        _("%(column)s sama dengan baris %(line)d.")
                        % {"column": column, "line": seen[value]}
                    )
                seen.setdefault(value, line)
            preview.rows.append((line, record, errors))
        return preview

    @cached_property
    def unique_columns(self):
        """The columns whose value the database holds once (e.g. a person's NIK)."""
        model = self.form_class._meta.model
        return [c for c, name in self.columns.items() if model._meta.get_field(name).unique]

    def form_for(self, record):
        form_data = {self.columns[c]: v for c, v in record.items()}
        return self.form_class(self.to_form_data(form_data), user=self.user)

    def to_form_data(self, data):
        return data

    @cached_property
    def kelurahan_codes(self):
        return dict(visible_kelurahan(self.user).values_list("code", "pk"))

    def save(self, preview):
        """Save every row of a valid preview, or none. A row that fails now (the data
        changed since the preview, or the database refuses it) gets its message in
        the preview, and 0 rows are saved."""
        try:
            with transaction.atomic():
                for _line, record, errors in preview.rows:
                    self._save_row(record, errors)
        except RowRefused:
            return 0
        return len(preview.rows)

    def _save_row(self, record, errors):
        form = self.form_for(record)
        if not form.is_valid():
            errors.extend(_flatten(form))
            raise RowRefused
        try:
            form.save()
        except IntegrityError as refusal:
            errors.append(_("Basis data menolak baris ini; periksa isinya."))
            raise RowRefused from refusal


class RowRefused(Exception):
    """A row failed while saving; the whole import is rolled back."""


def _archive_problem(upload):
    """Why a workbook must not be opened, read from its zip directory alone: not a
    zip at all, or more to unpack than an import can hold."""
    try:
        with ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except BadZipFile:
        return _not_a_workbook()
    finally:
        upload.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        return _(
            "Isi berkas terlalu besar setelah dibuka (lebih dari %(mb)d MB). "
            "Hapus lembar, gambar atau teks panjang yang tidak diperlukan."
        ) % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
    return ""


def _not_a_workbook():
    return _("Berkas tidak dapat dibaca sebagai Excel (.xlsx).")


def _too_long():
    return _(
        "Lembar terlalu panjang: lebih dari %(n)d baris, termasuk baris kosong. "
        "Hapus baris kosong di bawah data."
    ) % {"n": MAX_SHEET_LINES}


def _too_long_cell(column):
    return _("%(column)s: isi sel lebih dari %(n)s karakter.") % {
        "column": column,
        "n": f"{xlsx.CELL_LIMIT:,}".replace(",", "."),
    }


def _cell(value):
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _flatten(form):
    return [
        f"{form.fields[name].label if name in form.fields else ''}: {message}".lstrip(": ")
        for name, messages in form.errors.items()
        for message in messages
    ]


class VillageImporter(Importer):
    title = _("Impor Kampung KB")
    success_url = reverse_lazy("villages:list")
    form_class = VillageForm
    columns = {
        "nama": "name",
        "kode_kelurahan": "kelurahan",
        "rw": "rw_covered",
        "tanggal_pencanangan": "launched_on",
        "nomor_sk": "sk_number",
        "tanggal_sk": "sk_date",
        "penerbit_sk": "sk_issuer",
        "keterangan": "description",
    }
    example = (
        "Kampung KB Contoh",
        "61.71.05.1001",
        "RW 03",
        "2018-03-01",
        "400/123/DP2KBP3A/2018",
        "2018-02-20",
        "Wali Kota Pontianak",
        "",
    )

    def to_form_data(self, data):
        return {
            **data,
            "kelurahan": self.kelurahan_codes.get(data["kelurahan"], ""),
            "status": "aktif",
        }


class PersonImporter(Importer):
    title = _("Impor orang")
    success_url = reverse_lazy("villages:person_list")
    form_class = PersonForm
    columns = {
        "nama": "name",
        "jenis_kelamin": "sex",
        "nik": "nik",
        "telepon": "phone",
        "jabatan": "position",
        "kode_kota": "city",
        "kode_kelurahan": "kelurahan",
    }
    example = ("Siti Aminah", "P", "", "081234567890", "Kader BKB", "61.71", "61.71.05.1001")

    @cached_property
    def city_codes(self):
        return dict(visible_cities(self.user).values_list("code", "pk"))

    def to_form_data(self, data):
        return {
            **data,
            "city": self.city_codes.get(data["city"], ""),
            "kelurahan": self.kelurahan_codes.get(data["kelurahan"], ""),
            "confirm_duplicate": "on",  # an import is a deliberate list, not a slip
        }


IMPORTERS = {"kampung": VillageImporter, "orang": PersonImporter}


def importer_for(kind, *, user):
    if kind not in IMPORTERS:
        raise Http404
    return IMPORTERS[kind](user)


def template_response(kind, *, user):
    return download(importer_for(kind, user=user).template(), f"templat-{kind}.xlsx")
