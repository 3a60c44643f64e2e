"""One workbook shape per record kind, out and back in: villages, people (with their
current posts as managers) and the profiles of a month.

The export of a kind *is* its import file. Its first column is the record's own key
(ID), with which the import matches a row to the record; a row without one is a new
record, unless it looks like one already there (a village's kelurahan and name, a
person's NIK, or name and phone), which is refused as a probable duplicate. Columns
marked as shown only (a kelurahan's name, the level) are written for the reader and
ignored when the file comes back.

An import is checked in bulk (one query per lookup table, not per row) and shown
row by row: new, changed (each field, old → new), unchanged, or refused with the
reasons, naming the line and the column. Nothing is saved unless every row can be;
then exactly the shown changes are saved in one transaction, with a history row
each under the importing user. The same file sent again changes nothing.
"""

import copy
import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kampungkb import xlsx
from kampungkb.chunks import CHUNK
from kampungkb.concurrency import Versioned
from kampungkb.months import FIRST_MONTH, LAST_MONTH

from .access import persons_visible_to, villages_visible_to, visible_cities, visible_kelurahan
from .models import City, KampungKB, Kelurahan, Manager, Person, ProfileSnapshot
from .validators import normalize_phone

#: Rows of data an import takes; blank rows are skipped and not counted.
MAX_ROWS = 5000
#: Lines a sheet may have, blank ones included: past this, the file is refused unread.
MAX_LINES = 20_000
#: The separator of a list of choices in one cell.
LIST_SEPARATOR = "; "
REASON = "impor Excel"


class Refused(Exception):
    """A cell that cannot become a value; its message says why."""


# -- reading a cell --------------------------------------------------------------------


def _as_text(value):
    """A cell as text: a whole number without its ".0", a date as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def read_text(value, lookups):
    text = _as_text(value)
    if len(text) > xlsx.CELL_LIMIT:
        limit = f"{xlsx.CELL_LIMIT:,}".replace(",", ".")
        raise Refused(_("isi sel lebih dari %(n)s karakter.") % {"n": limit})
    return text


def read_digits_as_text(value, lookups):
    """A NIK, a phone number or a code: refused where the cell is a number, which
    Excel has already changed (a leading zero dropped, a sixteenth digit rounded)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise Refused(
            _(
                "berisi angka, bukan teks: Excel membuang angka 0 di depan dan angka ke-16 "
                "NIK. Format kolom ini sebagai Teks, lalu ketik ulang isinya."
            )
        )
    return _as_text(value)


def read_date(value, lookups):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(_as_text(value), pattern).date()
        except ValueError:
            continue
    raise Refused(_("bukan tanggal; tulis seperti 17/08/2018."))


def read_month(value, lookups):
    day = read_date(value, lookups)
    if day is None:
        raise Refused(_("bulan wajib diisi, seperti 01/03/2024."))
    month = day.replace(day=1)
    if not FIRST_MONTH <= month <= LAST_MONTH:
        raise Refused(_("bulan di luar jangkauan (Januari 2000 sampai Desember 2099)."))
    return month


def read_whole_number(value, lookups):
    if value in (None, ""):
        return 0
    if isinstance(value, bool):
        raise Refused(_("bukan bilangan bulat."))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _as_text(value)
    if THOUSANDS.fullmatch(text):  # 1.234, as Indonesians write a thousand
        text = text.replace(".", "")
    if text.lstrip("-").isdigit():
        return int(text)
    raise Refused(_("bukan bilangan bulat."))


THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")


def read_decimal(value, lookups):
    if value in (None, ""):
        return None
    try:
        return (
            Decimal(_as_text(value).replace(",", "."))
            if isinstance(value, str)
            else (Decimal(str(value)))
        )
    except InvalidOperation:
        raise Refused(_("bukan angka; tulis seperti -0,026330.")) from None


YES, NO = {"ya", "y", "yes", "1", "true", "benar"}, {"tidak", "t", "no", "0", "false", "salah"}


def read_yes_no(value, lookups):
    if isinstance(value, bool):
        return value
    answer = _as_text(value).lower()
    if answer in YES:
        return True
    if answer in NO or not answer:
        return False
    raise Refused(_("isi Ya atau Tidak."))


def _choice_of(text, choices):
    """The value of a choice written as its value or its label, in any case."""
    wanted = text.strip().casefold()
    for value, label in choices:
        if wanted in (str(value).casefold(), str(label).casefold()):
            return value
    return None


def read_choice(choices, *, required):
    def read(value, lookups):
        text = _as_text(value)
        if not text:
            if required:
                raise Refused(_("wajib diisi."))
            return ""
        chosen = _choice_of(text, choices)
        if chosen is None:
            raise Refused(
                _("“%(value)s” bukan pilihan; pilih salah satu: %(choices)s.")
                % {"value": text, "choices": ", ".join(str(label) for _v, label in choices)}
            )
        return chosen

    return read


def read_list(choices):
    def read(value, lookups):
        items = [item for item in _as_text(value).replace("\n", ";").split(";") if item.strip()]
        values = []
        for item in items:
            chosen = _choice_of(item, choices)
            if chosen is None:
                raise Refused(
                    _("“%(value)s” bukan pilihan; pilih dari: %(choices)s, dipisah titik koma.")
                    % {
                        "value": item.strip(),
                        "choices": ", ".join(str(label) for _v, label in choices),
                    }
                )
            values.append(chosen)
        return values

    return read


def read_key(value, lookups):
    if value in (None, ""):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value)
    if _as_text(value).isdigit():
        return int(_as_text(value))
    raise Refused(_("bukan ID dari ekspor; biarkan kosong untuk data baru."))


def read_kelurahan(*, required):
    def read(value, lookups):
        code = read_digits_as_text(value, lookups)
        if not code:
            if required:
                raise Refused(_("wajib diisi."))
            return None
        return lookups.region(Kelurahan, code, _("kelurahan"))

    return read


def read_city(value, lookups):
    code = read_digits_as_text(value, lookups)
    if not code:
        raise Refused(_("wajib diisi."))
    return lookups.region(City, code, _("kota"))


# -- writing a cell --------------------------------------------------------------------


def _labels(choices):
    return dict(choices)


def write_list(name, choices):
    labels = _labels(choices)
    return lambda record: LIST_SEPARATOR.join(
        str(labels.get(item, item)) for item in getattr(record, name) or []
    )


def write_yes_no(name):
    def write(record):
        answer = getattr(record, name)
        return "" if answer is None else _("Ya") if answer else _("Tidak")

    return write


def write_choice(name, choices):
    labels = _labels(choices)
    return lambda record: str(labels.get(getattr(record, name), ""))


# -- the columns of a kind ----------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A column of a kind's workbook and, where it is not only shown, the field of the
    record it reads and writes."""

    column: xlsx.Column
    write: object  # record -> cell value
    name: str = ""  # the field's name; "" for a column that is only shown
    read: object = None  # (cell value, lookups) -> the field's value, or Refused
    title: str = field(init=False)

    def __post_init__(self):  # the title in the language of the request, once
        object.__setattr__(self, "title", str(self.column.title))


def _shown(title, write, width=18, kind=xlsx.TEXT):
    help_text = gettext_lazy("Hanya keterangan; tidak dibaca saat impor.")
    return Part(xlsx.Column(title, kind, width, help_text), write)


def _text_part(model, name, *, width=24, help_text="", example="", read=read_text):
    model_field = model._meta.get_field(name)
    return Part(
        xlsx.Column(capfirst(model_field.verbose_name), xlsx.TEXT, width, help_text, example),
        lambda record: getattr(record, name),
        name,
        read,
    )


def _date_part(model, name, example):
    model_field = model._meta.get_field(name)
    return Part(
        xlsx.Column(
            capfirst(model_field.verbose_name),
            xlsx.DATE,
            14,
            gettext_lazy("Tanggal, dd/mm/yyyy."),
            example,
        ),
        lambda record: getattr(record, name),
        name,
        read_date,
    )


def _number_part(model, name, *, read=read_whole_number, width=12, example=0, help_text=""):
    model_field = model._meta.get_field(name)
    help_text = help_text or model_field.help_text or gettext_lazy("Bilangan bulat.")
    return Part(
        xlsx.Column(capfirst(model_field.verbose_name), xlsx.NUMBER, width, help_text, example),
        lambda record: getattr(record, name),
        name,
        read,
    )


def _choice_part(model, name, *, required=False, width=18):
    model_field = model._meta.get_field(name)
    choices = model_field.choices
    return Part(
        xlsx.Column(
            capfirst(model_field.verbose_name),
            xlsx.TEXT,
            width,
            gettext_lazy("Satu pilihan.")
            if required
            else gettext_lazy("Satu pilihan, atau kosong."),
            str(choices[0][1]),
            ", ".join(str(label) for _value, label in choices),
        ),
        write_choice(name, choices),
        name,
        read_choice(choices, required=required),
    )


def _list_part(model, name, *, width=40):
    model_field = model._meta.get_field(name)
    choices = model_field.item_choices
    return Part(
        xlsx.Column(
            capfirst(model_field.verbose_name),
            xlsx.TEXT,
            width,
            gettext_lazy("Beberapa pilihan dipisah titik koma (;), atau kosong."),
            LIST_SEPARATOR.join(str(label) for _value, label in choices[:2]),
            ", ".join(str(label) for _value, label in choices),
        ),
        write_list(name, choices),
        name,
        read_list(choices),
    )


def _yes_no_part(model, name):
    model_field = model._meta.get_field(name)
    return Part(
        xlsx.Column(
            capfirst(model_field.verbose_name),
            xlsx.TEXT,
            12,
            gettext_lazy("Ya atau Tidak."),
            _("Ya"),
            f"{_('Ya')}, {_('Tidak')}",
        ),
        write_yes_no(name),
        name,
        read_yes_no,
    )


def _key_part(title):
    return Part(
        xlsx.Column(
            title,
            xlsx.NUMBER,
            10,
            gettext_lazy("Kunci data dari ekspor. Kosongkan untuk data baru; jangan diubah."),
            "",
        ),
        lambda record: record.pk,
        "pk",
        read_key,
    )


# -- the lookups of one import ------------------------------------------------------------


class Lookups:
    """What the rows of one file name, read with one query per table: the regions the
    user may choose by code, and the records the file's keys name."""

    def __init__(self, user):
        self.user = user
        self._regions = {}

    def load_regions(self, model, codes, visible):
        known = {region.code: region for region in model.objects.filter(code__in=codes)}
        mine = set(visible.filter(code__in=codes).values_list("code", flat=True))
        self._regions[model] = (known, mine)

    def region(self, model, code, kind):
        known, mine = self._regions[model]
        if code not in known:
            raise Refused(_("kode %(kind)s %(code)s tidak dikenal.") % {"kind": kind, "code": code})
        if code not in mine:
            raise Refused(
                _("kode %(kind)s %(code)s di luar wilayah Anda.") % {"kind": kind, "code": code}
            )
        return known[code]


# -- checking a file ----------------------------------------------------------------------

NEW, CHANGED, UNCHANGED, REFUSED = "baru", "berubah", "tetap", "ditolak"


@dataclass
class Row:
    """A line of the file and what its import would do."""

    line: int
    status: str
    label: str = ""
    changes: list = field(default_factory=list)  # (title, old, new)
    reasons: list = field(default_factory=list)
    record: object = None  # what is saved: a new record, or the changed one
    fields: set = field(default_factory=set)  # the fields that change

    def refuse(self, reason):
        self.status = REFUSED
        self.reasons.append(reason)


@dataclass
class Preview:
    rows: list = field(default_factory=list)
    file_error: str = ""

    def counts(self):
        return {
            status: sum(1 for row in self.rows if row.status == status)
            for status in (NEW, CHANGED, UNCHANGED, REFUSED)
        }

    @property
    def refused(self):
        return [row for row in self.rows if row.status == REFUSED]

    #: Rows a page shows, the refused first: a file of 5,000 changes is read in its
    #: counts, and an officer mends refused rows a few at a time.
    SHOWN = 300

    def shown(self):
        """The rows the page lists: refused, then new and changed; the unchanged are
        only counted."""
        listed = self.refused + [row for row in self.rows if row.status in (NEW, CHANGED)]
        return listed[: self.SHOWN], max(len(listed) - self.SHOWN, 0)

    @property
    def to_save(self):
        return [row for row in self.rows if row.status in (NEW, CHANGED)]

    @property
    def can_be_saved(self):
        return not self.file_error and not self.refused and bool(self.to_save)

    def digest(self):
        """What the preview shows, in short: the confirmation saves only if the file,
        checked again, would do exactly this."""
        shown = [(r.line, r.status, r.changes, r.reasons) for r in self.rows]
        return hashlib.sha256(json.dumps(shown, default=str).encode()).hexdigest()


def _cell_to_session(value):
    """A cell as the session keeps it until the import is confirmed (JSON)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return {
            "date": (value.date() if isinstance(value, datetime.datetime) else value).isoformat()
        }
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _cell_from_session(value):
    if isinstance(value, dict):
        return datetime.date.fromisoformat(value["date"])
    return value


def _different(old, new):
    if isinstance(old, list) and isinstance(new, list):
        return set(old) != set(new)
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old.compare(new) != 0
    return old != new


class RecordKind:
    """A kind of record as a workbook: its sheet, its columns, and its import."""

    slug = title = sheet = ""
    #: The names of the list the kind's import returns to, and of its export.
    list_url = export_url = ""
    model = None
    #: Model fields set from lookups (not checked again, row by row, by the database).
    looked_up = ()

    def __init__(self, user):
        self.user = user

    # -- the workbook

    @cached_property
    def parts(self):
        """The columns, in the language of the request."""
        return self.columns()

    @cached_property
    def titles(self):
        """{field name: its column's title}, for the messages of a row."""
        return {part.name: part.title for part in self.parts if part.name}

    def columns(self):
        raise NotImplementedError

    def instructions(self):
        return [
            _("Isi lembar “%(sheet)s”; lembar ini hanya petunjuk dan tidak dibaca.")
            % {"sheet": self.sheet},
            _("Baris pertama adalah judul kolom: jangan diubah. Satu baris satu data."),
            _(
                "Kolom ID: biarkan kosong untuk data baru; jangan mengubah ID yang ada, "
                "karena dengan ID itulah baris dicocokkan dengan datanya."
            ),
            _(
                "NIK, telepon dan kode wilayah ditulis sebagai teks: kolomnya sudah "
                "berformat Teks; jangan diubah menjadi angka."
            ),
            _("Tanggal ditulis seperti 17/08/2018. Ya/Tidak ditulis Ya atau Tidak."),
        ]

    def workbook(self, records):
        parts = self.parts
        book = xlsx.new_workbook()
        columns = [part.column for part in parts]
        rows = ([part.write(record) for part in parts] for record in records)
        xlsx.add_sheet(book, self.sheet, columns, rows)
        xlsx.add_instructions(book, self.instructions(), columns)
        return xlsx.workbook_bytes(book)

    # -- reading a file

    def read(self, upload):
        """The data rows of an uploaded workbook, as the session keeps them; or
        xlsx.Unreadable, or Refused for the file as a whole."""
        rows = xlsx.read_sheet(upload, self.sheet, max_lines=MAX_LINES)
        headings = [_as_text(heading) for heading in (rows[0] if rows else [])]
        missing = [part.title for part in self.parts if part.title not in headings]
        if missing:
            raise Refused(
                _(
                    "Kolom tidak ditemukan: %(columns)s. Unduh ekspor terbaru, isi di sana, "
                    "lalu unggah berkas itu."
                )
                % {"columns": ", ".join(missing)}
            )
        index = {part.title: headings.index(part.title) for part in self.parts}
        data = []
        for line, values in enumerate(rows[1:], start=2):
            if all(value in (None, "") for value in values):
                continue
            if len(data) == MAX_ROWS:
                raise Refused(_("Maksimal %(n)d baris data per berkas.") % {"n": MAX_ROWS})
            cells = {
                title: _cell_to_session(values[i] if i < len(values) else None)
                for title, i in index.items()
            }
            data.append([line, cells])
        if not data:
            raise Refused(_("Berkas tidak berisi baris data di bawah judul kolom."))
        return data

    # -- checking the rows

    def check(self, data):
        """The preview of `data` (as `read` gives it): every row's verdict."""
        parts = [part for part in self.parts if part.read]
        lookups = Lookups(self.user)
        self.load(lookups, data)
        existing = self.existing([self._key(cells) for _line, cells in data])
        preview = Preview()
        seen_keys = {}
        for line, cells in data:
            row = Row(line, NEW)
            values = {}
            for part in parts:
                try:
                    values[part.name] = part.read(_cell_from_session(cells[part.title]), lookups)
                except Refused as refusal:
                    row.refuse(f"{part.title}: {refusal}")
            key = values.pop("pk", None)
            if key is not None:
                if key in seen_keys:
                    row.refuse(
                        _("ID %(key)s sama dengan baris %(line)d.")
                        % {"key": key, "line": seen_keys[key]}
                    )
                seen_keys.setdefault(key, line)
            if row.status != REFUSED:
                self._judge(row, key, values, existing)
            preview.rows.append(row)
        self.check_across(preview)
        return preview

    def _key(self, cells):
        try:
            return read_key(_cell_from_session(cells[self.key_title]), None)
        except Refused:
            return None

    @property
    def key_title(self):
        return self.parts[0].title

    def _judge(self, row, key, values, existing):
        if key is not None and key not in existing:
            row.refuse(
                _("ID %(key)s tidak dikenal di wilayah Anda; biarkan kosong untuk data baru.")
                % {"key": key}
            )
            return
        before = existing.get(key)
        if before is None:
            if duplicate := self.probable_duplicate(values):
                row.refuse(duplicate)
                return
            record = self.new_record(values)
        else:
            record = copy.copy(before)
            for name, value in values.items():
                setattr(record, name, value)
        row.label = str(record)
        try:
            record.full_clean(
                exclude=self.looked_up, validate_unique=False, validate_constraints=False
            )
        except ValidationError as invalid:
            for name, messages in invalid.message_dict.items():
                for message in messages:
                    title = self.titles.get(name)
                    row.refuse(f"{title}: {message}" if title else message)
            return
        row.record = record
        if before is None:
            return
        row.fields = {name for name in values if _different(getattr(before, name), values[name])}
        row.status = CHANGED if row.fields else UNCHANGED
        row.changes = [
            (part.title, part.write(before), part.write(record))
            for part in self.parts
            if part.name in row.fields
        ]

    def new_record(self, values):
        return self.model(**values)

    def probable_duplicate(self, values):
        """Why a row without a key seems to be a record already there, or ""."""
        return ""

    def check_across(self, preview):
        """Rules across the rows of a file (a NIK twice), after each row's own."""

    # -- saving

    @transaction.atomic
    def save(self, preview, by):
        new = [row.record for row in preview.rows if row.status == NEW]
        changed = [row for row in preview.rows if row.status == CHANGED]
        bulk_create_with_history(new, self.model, default_user=by, default_change_reason=REASON)
        if changed:
            fields = set().union(*(row.fields for row in changed))
            records = [row.record for row in changed]
            if issubclass(self.model, Versioned):
                for record in records:
                    record.version += 1
                fields.add("version")
            bulk_update_with_history(
                records, self.model, sorted(fields), default_user=by, default_change_reason=REASON
            )
        return len(new), len(changed)


class VillageKind(RecordKind):
    slug, title, sheet = "kampung", gettext_lazy("Kampung KB"), "Kampung KB"
    list_url, export_url = "villages:list", "villages:export"
    model = KampungKB
    looked_up = ("kelurahan", "override_by")

    def columns(self):
        return [
            _key_part(gettext_lazy("ID")),
            Part(
                xlsx.Column(
                    gettext_lazy("Kode kelurahan"),
                    xlsx.TEXT,
                    16,
                    gettext_lazy("Kode Kemendagri kelurahan tempat Kampung KB, sebagai teks."),
                    "61.71.05.1001",
                ),
                lambda village: village.kelurahan.code,
                "kelurahan",
                read_kelurahan(required=True),
            ),
            _shown(gettext_lazy("Kelurahan"), lambda village: village.kelurahan.name),
            _shown(gettext_lazy("Kecamatan"), lambda village: village.kelurahan.district.name),
            _text_part(KampungKB, "name", width=32, example="Kampung KB Bangkong Berseri"),
            _text_part(KampungKB, "rw_covered", width=14, example="RW 03, RW 05"),
            _date_part(KampungKB, "launched_on", datetime.date(2017, 3, 14)),
            _text_part(KampungKB, "sk_number", width=24, example="400/123/DP2KBP3A/2017"),
            _date_part(KampungKB, "sk_date", datetime.date(2017, 3, 1)),
            _text_part(KampungKB, "sk_issuer", example="Wali Kota Pontianak"),
            _choice_part(KampungKB, "status", required=True, width=12),
            _list_part(KampungKB, "location_criteria"),
            _text_part(KampungKB, "description", width=40),
            _number_part(KampungKB, "latitude", read=read_decimal, example=-0.02633, width=12),
            _number_part(KampungKB, "longitude", read=read_decimal, example=109.342504, width=12),
            _shown(gettext_lazy("Klasifikasi"), lambda village: village.get_level_display()),
        ]

    def records(self, villages=None):
        villages = villages if villages is not None else villages_visible_to(self.user)
        villages = villages.select_related("kelurahan__district")
        return villages.order_by("kelurahan__district__code", "name", "id").iterator(CHUNK)

    def load(self, lookups, data):
        codes = {_as_text(_cell_from_session(c["Kode kelurahan"])) for _l, c in data}
        lookups.load_regions(Kelurahan, codes, visible_kelurahan(self.user))

    def existing(self, keys):
        villages = villages_visible_to(self.user).select_related("kelurahan__district")
        return villages.in_bulk([key for key in keys if key])

    def probable_duplicate(self, values):
        kelurahan, name = values.get("kelurahan"), values.get("name", "")
        twin = KampungKB.objects.filter(kelurahan=kelurahan, name__iexact=name.strip()).first()
        if twin is None:
            return ""
        return _(
            "Kemungkinan duplikat: sudah ada %(name)s di kelurahan ini (ID %(key)s). Isi kolom "
            "ID dengan %(key)s untuk memperbaruinya."
        ) % {"name": twin.name, "key": twin.pk}


class PersonKind(RecordKind):
    slug, title, sheet = "orang", gettext_lazy("Orang"), "Orang"
    list_url, export_url = "villages:person_list", "villages:person_export"
    model = Person
    looked_up = ("city", "kelurahan")

    def columns(self):
        return [
            _key_part(gettext_lazy("ID")),
            _text_part(Person, "name", width=28, example="Siti Aminah"),
            _choice_part(Person, "sex", required=True, width=14),
            _text_part(
                Person,
                "nik",
                width=20,
                help_text=gettext_lazy("Opsional, 16 angka, sebagai teks."),
                example="6171054101900001",
                read=read_nik,
            ),
            _text_part(
                Person,
                "phone",
                width=16,
                help_text=gettext_lazy("Opsional, seperti 081234567890, sebagai teks."),
                example="081234567890",
                read=read_phone,
            ),
            _text_part(Person, "position", width=24, example="Kader BKB"),
            Part(
                xlsx.Column(
                    gettext_lazy("Kode kota"),
                    xlsx.TEXT,
                    10,
                    gettext_lazy("Kode Kemendagri kota dinas yang mengelola data orang ini."),
                    "61.71",
                ),
                lambda person: person.city.code,
                "city",
                read_city,
            ),
            Part(
                xlsx.Column(
                    gettext_lazy("Kode kelurahan domisili"),
                    xlsx.TEXT,
                    16,
                    gettext_lazy("Opsional, kode Kemendagri, sebagai teks."),
                    "61.71.05.1001",
                ),
                lambda person: person.kelurahan.code if person.kelurahan else "",
                "kelurahan",
                read_kelurahan(required=False),
            ),
            _shown(
                gettext_lazy("Kelurahan domisili"),
                lambda person: person.kelurahan.name if person.kelurahan else "",
            ),
            _shown(gettext_lazy("Jabatan pengelola saat ini"), current_posts, width=40),
        ]

    def records(self, people=None):
        people = people if people is not None else persons_visible_to(self.user)
        current = Manager.objects.filter(end_date__isnull=True).select_related("kampung")
        people = people.select_related("city", "kelurahan").prefetch_related(
            Prefetch("manager_roles", queryset=current, to_attr="current_posts")
        )
        return people.iterator(CHUNK)

    def load(self, lookups, data):
        cities = {_as_text(_cell_from_session(c["Kode kota"])) for _l, c in data}
        lookups.load_regions(City, cities, visible_cities(self.user))
        codes = {_as_text(_cell_from_session(c["Kode kelurahan domisili"])) for _l, c in data}
        lookups.load_regions(Kelurahan, codes, visible_kelurahan(self.user))
        niks = {_as_text(_cell_from_session(c["NIK"])) for _l, c in data} - {""}
        self.nik_holders = dict(Person.objects.filter(nik__in=niks).values_list("nik", "pk"))
        names = {_as_text(_cell_from_session(c["Nama"])).casefold() for _l, c in data}
        self.namesakes = {}
        for person in persons_visible_to(self.user).filter(phone__gt="").iterator(CHUNK):
            if person.name.casefold() in names:
                self.namesakes[person.name.casefold(), person.phone] = person

    def existing(self, keys):
        people = persons_visible_to(self.user).select_related("city", "kelurahan")
        return people.in_bulk([key for key in keys if key])

    def probable_duplicate(self, values):
        nik = values.get("nik")
        if nik and nik in self.nik_holders:
            return _(
                "Kemungkinan duplikat: NIK ini sudah terdaftar (ID %(key)s). Isi kolom ID "
                "dengan %(key)s untuk memperbaruinya."
            ) % {"key": self.nik_holders[nik]}
        twin = self.namesakes.get((values.get("name", "").casefold(), values.get("phone")))
        if twin:
            return _(
                "Kemungkinan duplikat: sudah ada %(name)s dengan telepon ini (ID %(key)s). Isi "
                "kolom ID dengan %(key)s untuk memperbaruinya."
            ) % {"name": twin.name, "key": twin.pk}
        return ""

    def check_across(self, preview):
        """A NIK is one person's: not another's in the database, not twice in a file."""
        first_line = {}
        for row in preview.rows:
            if row.record is None or not row.record.nik:
                continue
            nik = row.record.nik
            holder = self.nik_holders.get(nik)
            if holder is not None and holder != row.record.pk:
                row.refuse(_("NIK: sudah dipakai orang lain."))
            elif nik in first_line:
                row.refuse(_("NIK: sama dengan baris %(line)d.") % {"line": first_line[nik]})
            first_line.setdefault(nik, row.line)


def read_nik(value, lookups):
    return read_digits_as_text(value, lookups) or None


def read_phone(value, lookups):
    try:
        return normalize_phone(read_digits_as_text(value, lookups))
    except ValidationError as invalid:
        raise Refused(invalid.messages[0]) from None


def current_posts(person):
    return LIST_SEPARATOR.join(
        f"{post.get_role_display()}, {post.kampung.name}" for post in person.current_posts
    )


class ProfileKind(RecordKind):
    """The profiles of one month: a row for each village, its profile's answers or
    blanks where it has none yet. A row whose answers are all blank is skipped."""

    slug, title, sheet = "profil", gettext_lazy("Profil bulanan"), "Profil"
    list_url, export_url = "villages:month_sheet", "villages:profile_export"
    model = ProfileSnapshot
    looked_up = ("kampung",)

    def columns(self):
        return [
            Part(
                xlsx.Column(
                    gettext_lazy("ID Kampung KB"),
                    xlsx.NUMBER,
                    10,
                    gettext_lazy("Kunci Kampung KB dari ekspor; jangan diubah."),
                ),
                lambda profile: profile.kampung_id,
                "kampung",
                read_village,
            ),
            _shown(gettext_lazy("Kode kelurahan"), lambda p: p.kampung.kelurahan.code, 16),
            _shown(gettext_lazy("Kampung KB"), lambda p: p.kampung.name, 28),
            Part(
                xlsx.Column(
                    gettext_lazy("Bulan"),
                    xlsx.DATE,
                    12,
                    gettext_lazy("Tanggal 1 bulan yang dilaporkan, dd/mm/yyyy."),
                    datetime.date(2024, 3, 1),
                ),
                lambda profile: profile.month,
                "month",
                read_month,
            ),
            *(self._answer(model_field) for model_field in ProfileSnapshot.answer_fields()),
        ]

    @staticmethod
    def _answer(model_field):
        name = model_field.name
        if hasattr(model_field, "item_choices"):
            return _list_part(ProfileSnapshot, name)
        if model_field.choices:
            return _choice_part(ProfileSnapshot, name)
        if model_field.get_internal_type() == "BooleanField":
            return _yes_no_part(ProfileSnapshot, name)
        if model_field.get_internal_type() == "CharField":
            reader = read_digits_as_text if name in ("pkb_nip", "pkb_phone") else read_text
            return _text_part(ProfileSnapshot, name, width=18, read=reader)
        return _number_part(ProfileSnapshot, name)

    def records(self, villages, month):
        """A profile of `month` for every one of `villages`: its own, or one whose
        answers are all blank."""
        villages = villages.select_related("kelurahan").order_by("kelurahan__code", "name", "id")
        profiles = ProfileSnapshot.objects.filter(kampung__in=villages, month=month)
        entered = {profile.kampung_id: profile for profile in profiles.iterator(CHUNK)}
        for village in villages.iterator(CHUNK):
            profile = entered.get(village.pk) or _blank_profile(village, month)
            profile.kampung = village
            yield profile

    def load(self, lookups, data):
        keys = {self._key(cells) for _line, cells in data} - {None}
        lookups.villages = villages_visible_to(self.user).in_bulk(keys)
        months = set()
        for _line, cells in data:
            try:
                months.add(read_month(_cell_from_session(cells["Bulan"]), lookups))
            except Refused:
                continue
        profiles = ProfileSnapshot.objects.filter(
            kampung__in=lookups.villages.values(), month__in=months
        )
        self.profiles = {}
        for profile in profiles:
            profile.kampung = lookups.villages[profile.kampung_id]
            self.profiles[profile.kampung_id, profile.month] = profile

    def existing(self, keys):
        return {}  # a profile's key is its village and month: see check

    def check(self, data):
        """As every kind's, with the village and month of a row as its key."""
        answers = [part.title for part in self.parts[4:]]
        data = [(line, cells) for line, cells in data if _answered(cells, answers)]
        if not data:
            raise Refused(_("Tidak ada profil yang diisi di berkas ini."))
        return super().check(data)

    def _judge(self, row, key, values, existing):
        village, month = values.get("kampung"), values.get("month")
        if village is None:
            row.refuse(_("ID Kampung KB wajib diisi; salin dari ekspor."))
            return
        before = self.profiles.get((village.pk, month))
        key = before.pk if before else None
        super()._judge(row, key, values, {before.pk: before} if before else {})
        row.label = f"{village.name} {month:%m/%Y}"

    def check_across(self, preview):
        first_line = {}
        for row in preview.rows:
            if row.record is None:
                continue
            key = (row.record.kampung_id, row.record.month)
            if key in first_line:
                row.refuse(
                    _("Profil Kampung KB ini untuk bulan itu sama dengan baris %(line)d.")
                    % {"line": first_line[key]}
                )
            first_line.setdefault(key, row.line)


def _answered(cells, titles):
    return any(cells.get(title) not in (None, "") for title in titles)


def _blank_profile(village, month):
    """The row of a village without a profile of the month: every answer blank."""
    profile = ProfileSnapshot(kampung=village, month=month)
    for model_field in ProfileSnapshot.answer_fields():
        setattr(profile, model_field.attname, None)
    return profile


def read_village(value, lookups):
    key = read_key(value, lookups)
    if key is None:
        return None
    if key not in lookups.villages:
        raise Refused(_("ID %(key)s tidak dikenal di wilayah Anda.") % {"key": key})
    return lookups.villages[key]


KINDS = {kind.slug: kind for kind in (VillageKind, PersonKind, ProfileKind)}


def kind_for(slug, *, user):
    if slug not in KINDS:
        raise Http404
    return KINDS[slug](user)
