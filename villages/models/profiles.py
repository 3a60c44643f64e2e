"""A Kampung KB's programme data month by month, as the national portal asks it, and
the rules that hold between its figures."""

import functools
import operator
from dataclasses import dataclass

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kampungkb.chunks import chunked
from kampungkb.fields import ChoiceListField

from .villages import KampungKB

#: Contraceptive users by the seven methods the national portal asks and counts.
METHOD_FIELDS = (
    "users_iud",
    "users_implant",
    "users_mow",
    "users_mop",
    "users_injection",
    "users_pill",
    "users_condom",
)
#: … and those on another method, which the dinas records and the portal does not count.
USER_FIELDS = (*METHOD_FIELDS, "users_other")
LONG_ACTING_FIELDS = METHOD_FIELDS[:4]
#: Members of each poktan, and the families (or youths) each one is drawn from.
POKTAN_MEMBER_FIELDS = {
    "members_bkb": "families_with_toddler",
    "members_bkr": "families_with_teen",
    "members_bkl": "families_with_elderly",
    "members_uppka": "families",
    "members_pikr": "youths",
}
#: PUS not using KB, by reason.
NOT_USING_FIELDS = ("pregnant", "want_child_soon", "iat", "tial")


class FundingSource(models.TextChoices):
    APBN = "apbn", _("APBN / BOKB")
    APBD = "apbd", _("APBD")
    DANA_DESA = "dana_desa", _("Dana desa/kelurahan")
    DONASI = "donasi", _("Donasi/hibah masyarakat")
    CSR = "csr", _("Perusahaan (CSR)")
    SWADAYA = "swadaya", _("Swadaya masyarakat")


class Programme(models.TextChoices):
    """What runs in the village, as the national portal lists it: the first eight
    are poktan (kelompok kegiatan), the last two sarana (facilities)."""

    BKB = "bkb", _("BKB (Bina Keluarga Balita)")
    BKR = "bkr", _("BKR (Bina Keluarga Remaja)")
    BKL = "bkl", _("BKL (Bina Keluarga Lansia)")
    UPPKA = "uppka", _("UPPKA")
    PIK_R = "pik_r", _("PIK-R")
    PELAYANAN_KB = "pelayanan_kb", _("Pelayanan KB-KR")
    KEPENDUDUKAN = "kependudukan", _("Kependudukan")
    SEKTOR_LAIN = "sektor_lain", _("Sektor lain")
    SEKRETARIAT = "sekretariat", _("Sekretariat KKB")
    RUMAH_DATAKU = "rumah_dataku", _("Rumah DataKu")


#: The programmes that are facilities (sarana), not poktan.
SARANA = frozenset({Programme.SEKRETARIAT, Programme.RUMAH_DATAKU})


class DataSource(models.TextChoices):
    PK = "pk", _("PK dan pemutakhiran data")
    RUTIN = "rutin", _("Data rutin BKKBN")
    POTENSI_DESA = "potensi_desa", _("Potensi desa")
    SEKTORAL = "sektoral", _("Data sektoral")
    LAINNYA = "lainnya", _("Lainnya")


class OperationalActivity(models.TextChoices):
    PLANNING = "perencanaan", _("Rapat perencanaan kegiatan")
    COORDINATION = "koordinasi", _("Rapat koordinasi dengan dinas/instansi terkait")
    OUTREACH = "sosialisasi", _("Sosialisasi kegiatan")
    MONITORING = "monev", _("Monitoring dan evaluasi kegiatan")
    REPORTING = "laporan", _("Penyusunan laporan")


class RegulationIssuer(models.TextChoices):
    GOVERNOR = "gubernur", _("Gubernur")
    REGENT = "bupati_walikota", _("Bupati/wali kota")
    CAMAT = "camat", _("Camat")
    LURAH = "lurah", _("Lurah/kepala desa")


class Steward(models.TextChoices):
    """Who steers a village that no PKB/PLKB accompanies."""

    KADER = "kader", _("Kader")
    RT_RW = "rt_rw", _("RT/RW")
    VILLAGE_STAFF = "perangkat", _("Perangkat desa/kelurahan")
    PKK = "pkk", _("PKK")
    LEADERS = "tokoh", _("Tokoh masyarakat/agama")
    OPD_KB = "opd_kb", _("OPD KB")
    BKKBN_PROVINCE = "bkkbn_provinsi", _("BKKBN provinsi")


@dataclass(frozen=True)
class Limit:
    """The sum of some figures of a profile never exceeds another: one rule for the
    form (the message beside the field to correct) and the database (a constraint)."""

    name: str
    parts: tuple
    whole: str
    message: str

    @property
    def field_to_correct(self):
        return self.parts[0] if len(self.parts) == 1 else self.whole

    def broken_by(self, snapshot):
        values = [getattr(snapshot, f) for f in (*self.parts, self.whole)]
        return all(v is not None for v in values) and sum(values[:-1]) > values[-1]

    def constraint(self):
        total = functools.reduce(operator.add, (F(part) for part in self.parts))
        return models.CheckConstraint(
            condition=Q(**{f"{self.whole}__gte": total}),
            name=f"snapshot_{self.name}_within_{self.whole}",
            violation_error_message=self.message,
        )


SNAPSHOT_LIMITS = (
    Limit("users", USER_FIELDS, "pus", _("Jumlah peserta KB aktif melebihi jumlah PUS.")),
    Limit(
        "not_using",
        NOT_USING_FIELDS,
        "pus",
        _("PUS tidak ber-KB (hamil, ingin anak segera, IAT, TIAL) melebihi jumlah PUS."),
    ),
    Limit(
        "bkb",
        ("members_bkb",),
        "families_with_toddler",
        _("Anggota BKB melebihi jumlah keluarga dengan balita."),
    ),
    Limit(
        "bkr",
        ("members_bkr",),
        "families_with_teen",
        _("Anggota BKR melebihi jumlah keluarga dengan remaja."),
    ),
    Limit(
        "bkl",
        ("members_bkl",),
        "families_with_elderly",
        _("Anggota BKL melebihi jumlah keluarga dengan lansia."),
    ),
    Limit("uppka", ("members_uppka",), "families", _("Anggota UPPKA melebihi jumlah keluarga.")),
    Limit("pikr", ("members_pikr",), "youths", _("Anggota PIK-R melebihi jumlah remaja.")),
    *(
        Limit(field.removeprefix("families_with_"), (field,), "families", message)
        for field, message in [
            ("families_with_toddler", _("Keluarga dengan balita melebihi jumlah keluarga.")),
            ("families_with_teen", _("Keluarga dengan remaja melebihi jumlah keluarga.")),
            ("families_with_elderly", _("Keluarga dengan lansia melebihi jumlah keluarga.")),
        ]
    ),
)


def _same_answer(one, other):
    """A list of choices is the same answer in any order."""
    if isinstance(one, list) and isinstance(other, list):
        return set(one) == set(other)
    return one == other


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


class LevelInputQuerySet(models.QuerySet):
    """Rows a village's level is judged from (its profiles, its activities and their
    agencies), written in bulk: the villages they leave and join are judged again by
    villages/levels.py, which judges rows saved or deleted one by one too.

    `village_path` leads from a row to its village, as a lookup.
    """

    village_path = "kampung"

    def _villages_of(self, pks):
        villages = set()
        for chunk in chunked(pks):
            rows = self.model.objects.filter(pk__in=chunk).values_list(self.village_path)
            villages.update(village for (village,) in rows.order_by().distinct())
        return villages

    def update(self, **kwargs):
        from .. import levels  # which reads these models

        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True).order_by())
            left = self._villages_of(pks)
            rows = super().update(**kwargs)
            levels.judge(left | self._villages_of(pks))
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from .. import levels  # which reads these models

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            levels.judge(self._villages_of([obj.pk for obj in created]))
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        from .. import levels  # which reads these models

        with transaction.atomic(using=self.db):
            pks = [obj.pk for obj in objs]
            left = self._villages_of(pks)
            rows = super().bulk_update(objs, fields, *args, **kwargs)
            levels.judge(left | self._villages_of(pks))
        return rows

    bulk_update.alters_data = True


class ProfileSnapshotQuerySet(LevelInputQuerySet):
    def before(self, month):
        """{village id: its latest of these snapshots before `month`}."""
        return self.filter(month__lt=month).latest_by_village()

    def latest_by_village(self):
        """{village id: its latest of these snapshots}, the one a village is judged on."""
        latest = {}
        for snapshot in self.order_by("kampung", "-month"):
            latest.setdefault(snapshot.kampung_id, snapshot)
        return latest


class ProfileSnapshot(models.Model):
    """A Kampung KB's programme data for one month."""

    kampung = models.ForeignKey(
        KampungKB, models.PROTECT, related_name="snapshots", verbose_name=_("Kampung KB")
    )
    month = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan yang dilaporkan."))
    # Pokja, funds, companion and regulation
    pokja_formed = models.BooleanField(_("Pokja terbentuk"), default=False)
    pokja_has_sk = models.BooleanField(_("Pokja memiliki SK"), default=False)
    pokja_members = models.PositiveIntegerField(_("jumlah anggota Pokja"), default=0)
    pokja_trained = models.BooleanField(_("Pokja sudah dilatih"), default=False)
    funding_sources = ChoiceListField(_("sumber dana"), item_choices=FundingSource.choices)
    pkb_assigned = models.BooleanField(_("PKB/PLKB pendamping ada"), default=False)
    pkb_name = models.CharField(_("nama PKB/PLKB"), max_length=120, blank=True)
    pkb_nip = models.CharField(_("NIP PKB/PLKB"), max_length=18, blank=True)
    pkb_phone = models.CharField(_("telepon PKB/PLKB"), max_length=20, blank=True)
    steered_by = models.CharField(
        _("penggerak tanpa PKB/PLKB"),
        max_length=16,
        choices=Steward.choices,
        blank=True,
        help_text=_("Siapa yang menggerakkan kampung bila tidak ada PKB/PLKB pendamping."),
    )
    regulation_in_place = models.BooleanField(_("Ada regulasi/kebijakan"), default=False)
    regulation_issuer = models.CharField(
        _("penerbit regulasi"), max_length=16, choices=RegulationIssuer.choices, blank=True
    )
    rkm_present = models.BooleanField(_("Ada Rencana Kegiatan Masyarakat (RKM)"), default=False)
    # Programmes, data and operations
    programmes = ChoiceListField(
        _("program yang ada"),
        item_choices=Programme.choices,
        help_text=_("Poktan dan sarana yang berjalan di kampung bulan ini."),
    )
    data_used = ChoiceListField(
        _("data yang dipakai"),
        item_choices=DataSource.choices,
        help_text=_("Sumber data yang dipakai untuk merencanakan kegiatan."),
    )
    operational_activities = ChoiceListField(
        _("kegiatan operasional"), item_choices=OperationalActivity.choices
    )
    # Population
    families = models.PositiveIntegerField(_("jumlah keluarga"), default=0)
    youths = models.PositiveIntegerField(_("jumlah remaja"), default=0)
    families_with_toddler = models.PositiveIntegerField(_("keluarga dengan balita"), default=0)
    families_with_teen = models.PositiveIntegerField(_("keluarga dengan remaja"), default=0)
    families_with_elderly = models.PositiveIntegerField(_("keluarga dengan lansia"), default=0)
    pus = models.PositiveIntegerField(_("PUS"), default=0, help_text=_("Pasangan usia subur."))
    # Poktan members
    members_bkb = models.PositiveIntegerField(_("anggota BKB"), default=0)
    members_bkr = models.PositiveIntegerField(_("anggota BKR"), default=0)
    members_bkl = models.PositiveIntegerField(_("anggota BKL"), default=0)
    members_uppka = models.PositiveIntegerField(_("anggota UPPKA"), default=0)
    members_pikr = models.PositiveIntegerField(_("anggota PIK-R"), default=0)
    # Contraceptive users by method
    users_iud = models.PositiveIntegerField(_("peserta IUD"), default=0)
    users_implant = models.PositiveIntegerField(_("peserta implan"), default=0)
    users_mow = models.PositiveIntegerField(_("peserta MOW"), default=0)
    users_mop = models.PositiveIntegerField(_("peserta MOP"), default=0)
    users_injection = models.PositiveIntegerField(_("peserta suntik"), default=0)
    users_pill = models.PositiveIntegerField(_("peserta pil"), default=0)
    users_condom = models.PositiveIntegerField(_("peserta kondom"), default=0)
    users_other = models.PositiveIntegerField(
        _("peserta metode lain"),
        default=0,
        help_text=_("Di luar tujuh metode portal (misalnya MAL); tidak dihitung dalam CPR."),
    )
    # PUS not using KB, by reason
    pregnant = models.PositiveIntegerField(
        _("hamil"), default=0, help_text=_("PUS yang sedang hamil.")
    )
    want_child_soon = models.PositiveIntegerField(
        _("ingin anak segera"), default=0, help_text=_("PUS ingin anak segera, tidak ber-KB.")
    )
    iat = models.PositiveIntegerField(
        _("IAT"), default=0, help_text=_("PUS ingin anak ditunda, tidak ber-KB.")
    )
    tial = models.PositiveIntegerField(
        _("TIAL"), default=0, help_text=_("PUS tidak ingin anak lagi, tidak ber-KB.")
    )
    history = HistoricalRecords()
    objects = ProfileSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["kampung", "-month"]
        get_latest_by = "month"
        verbose_name = _("profil bulanan")
        verbose_name_plural = _("profil bulanan")
        constraints = [
            models.UniqueConstraint(
                fields=["kampung", "month"],
                name="snapshot_one_per_month",
                violation_error_message=_("Profil bulan ini sudah ada untuk Kampung KB ini."),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="snapshot_month_first_day"),
            *(rule.constraint() for rule in SNAPSHOT_LIMITS),
        ]

    def __str__(self):
        return f"{self.kampung} {self.month:%m/%Y}"

    @classmethod
    def answer_fields(cls):
        """The fields a month's profile answers: all but its village and its month."""
        return [
            field
            for field in cls._meta.concrete_fields
            if field.editable and field.name not in ("id", "kampung", "month")
        ]

    def answers(self):
        return {field.attname: getattr(self, field.attname) for field in self.answer_fields()}

    def answers_differ(self, other):
        """The names of the answers that differ from `other`'s (another month's)."""
        mine, theirs = self.answers(), other.answers()
        return {name for name, value in mine.items() if not _same_answer(value, theirs[name])}

    def copied_to(self, month):
        """A new profile of `month` that answers as this one does."""
        return ProfileSnapshot(kampung_id=self.kampung_id, month=month, **self.answers())

    def clean(self):
        """Each figure that exceeds its whole, said beside the field to correct; the
        database holds the same rules (`SNAPSHOT_LIMITS`)."""
        problems = {}
        for rule in SNAPSHOT_LIMITS:
            if rule.broken_by(self):
                problems.setdefault(rule.field_to_correct, []).append(rule.message)
        if problems:
            raise ValidationError(problems)

    @property
    def active_users(self):
        return sum(getattr(self, field) for field in METHOD_FIELDS)

    @property
    def long_acting_users(self):
        return sum(getattr(self, field) for field in LONG_ACTING_FIELDS)

    @property
    @admin.display(description="CPR (%)")
    def cpr(self):
        """Contraceptive prevalence: active users per 100 PUS."""
        return _percent(self.active_users, self.pus)

    @property
    @admin.display(description=_("pangsa MKJP (%)"))
    def mkjp_share(self):
        """Share of active users on a long-acting method (IUD, implant, MOW, MOP)."""
        return _percent(self.long_acting_users, self.active_users)

    @property
    @admin.display(description="unmet need (%)")
    def unmet_need(self):
        """PUS who want no more or later children but use no method, per 100 PUS."""
        return _percent(self.iat + self.tial, self.pus)
