"""The workbook an operator copies into the national portal: one sheet per portal
form (profile, population, KKBPK, activities) with its fields in the portal's order
and labels, and the classification recap per kecamatan.

A row of a profile sheet is a village's profile of the month asked, or its latest;
labels are the models' own, so the workbook says what the forms say. Every cell
goes through `kampungkb.xlsx`, the one safe way to put user text in a sheet.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kampungkb import xlsx
from kampungkb.months import add_months

from .classification import INDEX_LABELS, PASS_MARK, classify
from .models import (
    NOT_USING_FIELDS,
    POKTAN_MEMBER_FIELDS,
    Activity,
    DataSource,
    FundingSource,
    Level,
    OperationalActivity,
    ProfileSnapshot,
    Programme,
)


@dataclass(frozen=True)
class Column:
    label: str
    value: object  # a function of the row


def _field_label(name):
    return capfirst(ProfileSnapshot._meta.get_field(name).verbose_name)


def _figure(name):
    return Column(_field_label(name), lambda s: getattr(s, name))


def _flag(name):
    return Column(_field_label(name), lambda s: _yes_no(getattr(s, name)))


def _choice(name):
    """A choice field as its label."""
    return Column(_field_label(name), lambda s: getattr(s, f"get_{name}_display")())


def _ticks(name, choices):
    """A list of choices as the portal's checkboxes: one column per choice."""
    return [
        Column(f"{_field_label(name)}: {label}", lambda s, v=value: _yes_no(v in getattr(s, name)))
        for value, label in choices.choices
    ]


def _yes_no(flag):
    return _("Ya") if flag else _("Tidak")


def profile_columns():
    return [
        _flag("pokja_formed"),
        _figure("pokja_members"),
        _flag("pokja_trained"),
        *_ticks("funding_sources", FundingSource),
        *_ticks("programmes", Programme),
        _flag("pkb_assigned"),
        _figure("pkb_name"),
        _figure("pkb_nip"),
        _figure("pkb_phone"),
        _choice("steered_by"),
        _flag("regulation_in_place"),
        _choice("regulation_issuer"),
        _flag("rkm_present"),
        *_ticks("data_used", DataSource),
        *_ticks("operational_activities", OperationalActivity),
    ]


def population_columns():
    names = ["pus", "families", "youths", "families_with_toddler", "families_with_teen"]
    return [_figure(name) for name in [*names, "families_with_elderly"]]


#: The portal's order of the methods.
PORTAL_METHOD_ORDER = (
    "users_iud",
    "users_mow",
    "users_mop",
    "users_condom",
    "users_implant",
    "users_injection",
    "users_pill",
)


def kkbpk_columns():
    names = [*POKTAN_MEMBER_FIELDS, *PORTAL_METHOD_ORDER, *NOT_USING_FIELDS]
    return [_figure(name) for name in names]


def activity_columns():
    return [
        Column(_("Judul kegiatan"), lambda a: a.title),
        Column(_("Tanggal"), lambda a: a.date),
        Column(_("Tempat"), lambda a: a.place),
        Column(_("Uraian"), lambda a: a.description),
        Column(_("Fungsi keluarga"), lambda a: a.get_family_function_display()),
        Column(_("Sasaran"), lambda a: ", ".join(map(str, a.target_group_labels()))),
        Column(
            _("Perangkat daerah yang terlibat"),
            lambda a: ", ".join(agency.abbreviation for agency in a.agencies.all()),
        ),
        Column(_("Jumlah foto"), lambda a: a.photo_count),
    ]


def _village_cells(village):
    kelurahan = village.kelurahan
    return [kelurahan.code, kelurahan.name, kelurahan.district.name, village.name]


def _village_headings():
    return [_("Kode kelurahan"), _("Kelurahan"), _("Kecamatan"), _("Kampung KB")]


def _profiles(villages, month):
    """{village id: its profile of `month`, or its latest where no month is asked}."""
    snapshots = ProfileSnapshot.objects.filter(kampung__in=villages)
    if month:
        return {s.kampung_id: s for s in snapshots.filter(month=month)}
    return snapshots.latest_by_village()


def _sheet(workbook, title, headings, rows):
    xlsx.add_table(workbook, str(title), [str(heading) for heading in headings], rows)


def _profile_sheet(workbook, title, columns, villages, profiles):
    headings = [*_village_headings(), _("Bulan"), *(c.label for c in columns)]
    rows = (
        [*_village_cells(v), profile.month.strftime("%Y-%m"), *(c.value(profile) for c in columns)]
        for v in villages
        if (profile := profiles.get(v.pk))
    )
    _sheet(workbook, title, headings, rows)


def _activity_sheet(workbook, villages):
    columns = activity_columns()
    by_pk = {v.pk: v for v in villages}
    activities = Activity.objects.filter(kampung__in=by_pk).for_list().prefetch_related("agencies")
    rows = (
        [*_village_cells(by_pk[a.kampung_id]), *(c.value(a) for c in columns)] for a in activities
    )
    _sheet(workbook, _("Kegiatan"), [*_village_headings(), *(c.label for c in columns)], rows)


@dataclass
class DistrictRecap:
    """A kecamatan's villages by level, and their indices: mean and how many pass."""

    name: str
    villages: int = 0
    unprofiled: int = 0
    levels: Counter = field(default_factory=Counter)
    index_sums: Counter = field(default_factory=Counter)
    passing: Counter = field(default_factory=Counter)

    def add(self, result):
        self.villages += 1
        if not result.indicators:
            self.unprofiled += 1
            return
        self.levels[result.level] += 1
        self.index_sums.update(result.indices)
        self.passing.update(result.passing())

    def cells(self):
        profiled = self.villages - self.unprofiled
        means = [
            _two_places(self.index_sums[index] / profiled) if profiled else None
            for index in INDEX_LABELS
        ]
        return [
            self.name,
            self.villages,
            *(self.levels[level] for level in Level),
            self.unprofiled,
            *means,
            *(self.passing[index] for index in INDEX_LABELS),
        ]


def _two_places(value):
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def recap(villages, profiles):
    """[DistrictRecap] per kecamatan: each village (`with_agency_count`) classified by
    the portal's rule."""
    districts = {}
    for village in villages:
        district = village.kelurahan.district
        row = districts.setdefault(district.pk, DistrictRecap(district.name))
        row.add(classify(profiles.get(village.pk), village.agency_count))
    return sorted(districts.values(), key=lambda row: row.name)


def _recap_sheet(workbook, villages, profiles):
    headings = [
        _("Kecamatan"),
        _("Jumlah Kampung KB"),
        *(level.label for level in Level),
        _("Belum ada profil"),
        *(_("Rata-rata indeks %(index)s") % {"index": label} for label in INDEX_LABELS.values()),
        *(
            _("Lulus indeks %(index)s (≥ %(mark)s)") % {"index": label, "mark": PASS_MARK}
            for label in INDEX_LABELS.values()
        ),
    ]
    rows = (row.cells() for row in recap(villages, profiles))
    _sheet(workbook, _("Rekap klasifikasi"), headings, rows)


def portal_workbook(villages, month=None):
    """The .xlsx bytes for `villages` (a queryset): their profiles of `month`, judged
    with the agencies of the activities held by its end; or their latest, with all."""
    held_before = add_months(month, 1) if month else None
    villages = villages.select_related("kelurahan__district").with_agency_count(held_before)
    villages = list(villages.order_by("name", "pk"))
    profiles = _profiles([v.pk for v in villages], month)
    workbook = xlsx.new_workbook()
    _profile_sheet(workbook, _("Profil"), profile_columns(), villages, profiles)
    _profile_sheet(workbook, _("Kependudukan"), population_columns(), villages, profiles)
    _profile_sheet(workbook, "KKBPK", kkbpk_columns(), villages, profiles)
    _activity_sheet(workbook, villages)
    _recap_sheet(workbook, villages, profiles)
    return xlsx.workbook_bytes(workbook)
