import functools
import operator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kampungkb.choices import QuickChoiceDisplay, label
from kampungkb.chunks import chunked
from kampungkb.citycache import CityTrackedQuerySet
from kampungkb.concurrency import Versioned
from kampungkb.fields import ChoiceListField

from .photos import CONTENT_TYPES, PhotoField, extension
from .validators import validate_nik


def _levels():
    """villages/levels.py, which keeps `KampungKB.computed_level` true on every write of
    its inputs; it reads these models, so it is imported when first needed."""
    from . import levels

    return levels


class Region(models.Model):
    """A Kemendagri region; codes come from the reference file, never typed."""

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name


class City(Region):
    class Meta(Region.Meta):
        verbose_name = _("kota")
        verbose_name_plural = _("kota")


class RegionQuerySet(models.QuerySet):
    """Kecamatan or kelurahan: moved in bulk, their villages follow into the new city."""

    #: The field that places the region in a city, and the lookup to its villages.
    parent_field = villages_lookup = None

    def update(self, **kwargs):
        if self.parent_field not in kwargs:  # a rename: no village moves
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True).order_by())
            rows = super().update(**kwargs)
            for chunk in chunked(pks):
                in_chunk = {f"{self.villages_lookup}__in": chunk}
                KampungKB.objects.filter(**in_chunk).follow_kelurahan()
        return rows

    update.alters_data = True


class DistrictQuerySet(RegionQuerySet):
    parent_field, villages_lookup = "city", "kelurahan__district"


class KelurahanQuerySet(RegionQuerySet, CityTrackedQuerySet):
    """A kelurahan's kecamatan is a city figure's (the coverage of each kecamatan)."""

    parent_field, villages_lookup = "district", "kelurahan"


class District(Region):
    city = models.ForeignKey(City, models.PROTECT, related_name="districts")
    objects = DistrictQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    @transaction.atomic
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        KampungKB.objects.filter(kelurahan__district=self).follow_kelurahan()


class Kelurahan(Region):
    district = models.ForeignKey(District, models.PROTECT, related_name="kelurahan")
    objects = KelurahanQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")

    @transaction.atomic
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        KampungKB.objects.filter(kelurahan=self).follow_kelurahan()


class Agency(QuickChoiceDisplay, models.Model):
    class Sector(models.TextChoices):
        KB = "kb", _("Keluarga berencana")
        PLANNING = "perencanaan", _("Perencanaan")
        HEALTH = "kesehatan", _("Kesehatan")
        EDUCATION = "pendidikan", _("Pendidikan")
        SOCIAL = "sosial", _("Sosial")
        CIVIL_REGISTRY = "kependudukan", _("Kependudukan")
        INFRASTRUCTURE = "infrastruktur", _("Infrastruktur")
        ECONOMY = "ekonomi", _("Ekonomi")
        FOOD = "pangan", _("Pangan")
        ENVIRONMENT = "lingkungan", _("Lingkungan")
        YOUTH = "pemuda", _("Pemuda")
        INFORMATION = "informasi", _("Informasi")
        RELIGION = "agama", _("Agama")
        COMMUNITY = "masyarakat", _("Masyarakat")
        GOVERNMENT = "pemerintahan", _("Pemerintahan")

    abbreviation = models.CharField(_("singkatan"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    sector = models.CharField(_("sektor"), max_length=20, choices=Sector.choices)

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")

    def __str__(self):
        return self.abbreviation

    def get_absolute_url(self):
        return reverse("villages:agency", args=[self.pk])


class Level(models.TextChoices):
    """The four national classification levels, lowest first."""

    DASAR = "dasar", _("Dasar")
    BERKEMBANG = "berkembang", _("Berkembang")
    MANDIRI = "mandiri", _("Mandiri")
    BERKELANJUTAN = "berkelanjutan", _("Berkelanjutan")


class LocationCriterion(models.TextChoices):
    KUMUH = "kumuh", _("Kumuh")
    PESISIR = "pesisir", _("Pesisir/nelayan")
    DAS = "das", _("Daerah aliran sungai")
    RAIL = "bantaran_ka", _("Bantaran kereta api")
    POOR = "miskin", _("Kawasan miskin")
    REMOTE = "terpencil", _("Terpencil")
    BORDER = "perbatasan", _("Perbatasan")
    INDUSTRY = "industri", _("Kawasan industri")
    TOURISM = "wisata", _("Kawasan wisata")
    DENSE = "padat", _("Padat penduduk")


def effective_level(level_override, computed_level):
    """A village's level: the one dinas set by hand, where it did, else its data's."""
    return level_override or computed_level


class KampungKBQuerySet(CityTrackedQuerySet):
    def active(self):
        return self.filter(status=KampungKB.Status.ACTIVE)

    def with_level(self):
        """Annotate `effective_level`: a dinas override where there is one, else computed."""
        return self.annotate(
            effective_level=Coalesce(NullIf("level_override", Value("")), "computed_level")
        )

    def level_counts(self):
        counts = dict(
            self.with_level().values_list("effective_level").annotate(n=Count("id")).order_by()
        )
        return [(level, counts.get(level.value, 0)) for level in Level]

    def with_agency_count(self, held_before=None):
        """Annotate `agency_count`: the distinct agencies in each village's activities
        (those held before a date, where one is given), the portal's cross-sector
        indicator."""
        links = ActivityAgency.objects.filter(activity__kampung=OuterRef("pk"))
        if held_before:
            links = links.filter(activity__date__lt=held_before)
        agencies = (
            links.order_by()
            .values("activity__kampung")
            .annotate(n=Count("agency", distinct=True))
            .values("n")
        )
        return self.annotate(agency_count=Coalesce(Subquery(agencies), 0))

    def list_rows(self):
        """What a row of the village list shows (`village_rows`), as named tuples:
        reading 50 villages with their kelurahan and kecamatan as models took longer
        than the query itself."""
        return self.values_list(
            "pk",
            "name",
            "status",
            "computed_level",
            "level_override",
            "override_reason",
            "kelurahan__name",
            "kelurahan__district__name",
            named=True,
        )

    def in_districts(self, districts):
        return self.filter(kelurahan__district__in=districts)

    def for_page(self):
        """With its places and the count its classification needs, as the village page
        shows them (which reads its other records itself: prefetching two of them
        took longer than the two queries)."""
        villages = self.select_related("kelurahan__district", "city", "override_by")
        return villages.with_agency_count()

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            if "kelurahan" not in kwargs:
                return super().update(**kwargs)
            pks = list(self.values_list("pk", flat=True).order_by())
            rows = super().update(**kwargs)
            for chunk in chunked(pks):
                KampungKB.objects.filter(pk__in=chunk).follow_kelurahan()
            return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        """New villages take the city of their kelurahan, as `save` gives it them."""
        objs = list(objs)
        cities = {}
        for chunk in chunked({obj.kelurahan_id for obj in objs}):
            rows = Kelurahan.objects.filter(pk__in=chunk).values_list("pk", "district__city")
            cities.update(rows)
        for obj in objs:
            obj.city_id = cities[obj.kelurahan_id]
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def follow_kelurahan(self):
        """Each of these villages takes the city of its kelurahan, where that moved."""
        kelurahan_city = Kelurahan.objects.filter(pk=OuterRef("kelurahan")).values(
            "district__city"
        )[:1]
        self.exclude(city=Subquery(kelurahan_city)).update(city=Subquery(kelurahan_city))


class KampungKB(QuickChoiceDisplay, Versioned):
    class Status(models.TextChoices):
        ACTIVE = "aktif", _("Aktif")
        INACTIVE = "nonaktif", _("Tidak aktif")

    name = models.CharField(_("nama"), max_length=150)
    kelurahan = models.ForeignKey(
        Kelurahan, models.PROTECT, related_name="kampung_kb", verbose_name=_("kelurahan")
    )
    # The kelurahan's city, kept on the row by `save` and `follow_kelurahan` (every
    # save and bulk update of a village, kelurahan or kecamatan): the city is whose
    # data a village is, and every page finds it without joining two more tables.
    city = models.ForeignKey(
        City, models.PROTECT, related_name="kampung_kb", editable=False, verbose_name=_("kota")
    )
    rw_covered = models.CharField(
        _("RW yang dicakup"), max_length=100, blank=True, help_text=_("Contoh: RW 03, RW 05")
    )
    launched_on = models.DateField(_("tanggal pencanangan"), null=True, blank=True)
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    sk_issuer = models.CharField(_("penerbit SK"), max_length=150, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    location_criteria = ChoiceListField(
        _("kriteria wilayah"), item_choices=LocationCriterion.choices
    )
    # The level its data gives, stored so that lists filter and count by it; kept
    # true by villages/levels.py on every write of its inputs, never edited by hand.
    computed_level = models.CharField(
        _("klasifikasi terhitung"), max_length=15, choices=Level.choices, default=Level.DASAR
    )
    level_override = models.CharField(
        _("klasifikasi ditetapkan"), max_length=15, choices=Level.choices, blank=True
    )
    override_reason = models.TextField(_("alasan penetapan"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The city follows from the kelurahan, whose history it would repeat.
    history = HistoricalRecords(excluded_fields=["city"])
    objects = KampungKBQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kampung KB")
        verbose_name_plural = _("Kampung KB")
        constraints = [
            models.CheckConstraint(
                condition=Q(level_override="") | ~Q(override_reason=""),
                name="kampungkb_override_has_reason",
                violation_error_message=_("Penetapan klasifikasi memerlukan alasan."),
            ),
        ]
        indexes = [
            models.Index(fields=["computed_level", "level_override"]),
            models.Index(fields=["name", "id"], name="kampungkb_list_order"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("villages:detail", args=[self.pk])

    @transaction.atomic  # the row and the city figures it retires, together
    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None or "kelurahan" in update_fields:
            self.city_id = self.kelurahan.district.city_id
            if update_fields is not None:
                update_fields = {*update_fields, "city"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def level(self):
        return effective_level(self.level_override, self.computed_level)

    def get_level_display(self):
        return label(Level, self.level)

    def location_criteria_labels(self):
        return [LocationCriterion(key).label for key in self.location_criteria]


class Person(Versioned):
    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    name = models.CharField(_("nama"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    nik = models.CharField(
        _("NIK"), max_length=16, null=True, blank=True, unique=True, validators=[validate_nik]
    )
    position = models.CharField(_("jabatan/pekerjaan"), max_length=150, blank=True)
    kelurahan = models.ForeignKey(
        Kelurahan,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("kelurahan domisili"),
    )
    city = models.ForeignKey(
        City,
        models.PROTECT,
        related_name="persons",
        verbose_name=_("kota"),
        help_text=_("Kota dinas yang mengelola data orang ini."),
    )
    history = HistoricalRecords(excluded_fields=["nik"])
    objects = CityTrackedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        indexes = [models.Index(fields=["city", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("villages:person", args=[self.pk])

    @property
    def masked_nik(self):
        if not self.nik:
            return ""
        return f"{self.nik[:4]}{'•' * 8}{self.nik[12:]}"


class Manager(QuickChoiceDisplay, models.Model):
    """A person's appointment as a manager (pengelola) of a Kampung KB."""

    class Role(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        WAKIL = "wakil", _("Wakil ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        BENDAHARA = "bendahara", _("Bendahara")
        AGAMA = "seksi_agama", _("Seksi fungsi agama")
        SOSBUD = "seksi_sosbud", _("Seksi fungsi sosial budaya")
        CINTA_KASIH = "seksi_cinta_kasih", _("Seksi fungsi cinta kasih")
        PERLINDUNGAN = "seksi_perlindungan", _("Seksi fungsi perlindungan")
        REPRODUKSI = "seksi_reproduksi", _("Seksi fungsi reproduksi")
        PENDIDIKAN = "seksi_pendidikan", _("Seksi fungsi sosialisasi dan pendidikan")
        EKONOMI = "seksi_ekonomi", _("Seksi fungsi ekonomi")
        LINGKUNGAN = "seksi_lingkungan", _("Seksi fungsi lingkungan")

    kampung = models.ForeignKey(
        KampungKB, models.PROTECT, related_name="managers", verbose_name=_("Kampung KB")
    )
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="manager_roles", verbose_name=_("orang")
    )
    role = models.CharField(_("jabatan"), max_length=20, choices=Role.choices)
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["end_date", "role", "start_date"]
        verbose_name = _("pengelola")
        verbose_name_plural = _("pengelola")
        constraints = [
            models.UniqueConstraint(
                fields=["kampung"],
                condition=Q(role="ketua", end_date__isnull=True),
                name="manager_one_current_ketua",
                violation_error_message=_("Kampung KB ini sudah memiliki ketua yang menjabat."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="manager_ends_after_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.kampung}: {self.person}"

    @property
    def is_current(self):
        return self.end_date is None

    @property
    def sort_key(self):
        """Current before past, then in the order of the organisation chart."""
        return (not self.is_current, list(self.Role).index(self.role), self.start_date)


class Pokja(QuickChoiceDisplay, models.Model):
    """A working group at city, kecamatan or kelurahan level."""

    class Level(models.TextChoices):
        CITY = "kota", _("Kota")
        DISTRICT = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")

    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    city = models.ForeignKey(City, models.PROTECT, related_name="pokja")
    district = models.ForeignKey(
        District, models.PROTECT, null=True, blank=True, related_name="pokja"
    )
    kelurahan = models.ForeignKey(
        Kelurahan, models.PROTECT, null=True, blank=True, related_name="pokja"
    )
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)

    class Meta:
        ordering = ["city", "level", "district", "kelurahan"]
        verbose_name = _("Pokja")
        verbose_name_plural = _("Pokja")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="kota", district__isnull=True, kelurahan__isnull=True)
                    | Q(level="kecamatan", district__isnull=False, kelurahan__isnull=True)
                    | Q(level="kelurahan", district__isnull=False, kelurahan__isnull=False)
                ),
                name="pokja_place_matches_level",
            ),
            models.UniqueConstraint(
                fields=["city"], condition=Q(level="kota"), name="pokja_one_per_city"
            ),
            models.UniqueConstraint(
                fields=["district"], condition=Q(level="kecamatan"), name="pokja_one_per_district"
            ),
            models.UniqueConstraint(
                fields=["kelurahan"],
                condition=Q(level="kelurahan"),
                name="pokja_one_per_kelurahan",
            ),
        ]

    def __str__(self):
        return _("Pokja %(level)s %(place)s") % {
            "level": self.get_level_display(),
            "place": self.place,
        }

    def get_absolute_url(self):
        return reverse("villages:pokja", args=[self.pk])

    @property
    def place(self):
        return self.kelurahan or self.district or self.city


class PokjaMember(QuickChoiceDisplay, models.Model):
    class Role(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        WAKIL = "wakil", _("Wakil ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        ANGGOTA = "anggota", _("Anggota")

    pokja = models.ForeignKey(Pokja, models.PROTECT, related_name="members")
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="pokja_seats", verbose_name=_("orang")
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="pokja_seats", verbose_name=_("perangkat daerah")
    )
    role = models.CharField(
        _("jabatan dalam Pokja"), max_length=12, choices=Role.choices, default=Role.ANGGOTA
    )
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    term_start = models.DateField(_("awal masa tugas"))
    term_end = models.DateField(_("akhir masa tugas"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__abbreviation", "person__name"]
        verbose_name = _("anggota Pokja")
        verbose_name_plural = _("anggota Pokja")
        constraints = [
            models.UniqueConstraint(
                fields=["pokja", "person"],
                condition=Q(term_end__isnull=True),
                name="pokjamember_one_current_seat",
                violation_error_message=_("Orang ini sudah menjadi anggota Pokja tersebut."),
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="pokjamember_term_ends_after_start",
                violation_error_message=_("Akhir masa tugas tidak boleh sebelum awal."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.agency}) — {self.pokja}"


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


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


class LevelInputQuerySet(models.QuerySet):
    """Rows a village's level is judged from (its profiles, its activities and their
    agencies), written in bulk: the villages they leave and join are judged again.

    `village_path` leads from a row to its village, as a lookup.
    """

    village_path = "kampung"

    def _villages(self, pks):
        villages = set()
        for chunk in chunked(pks):
            rows = self.model.objects.filter(pk__in=chunk).values_list(self.village_path)
            villages.update(village for (village,) in rows.order_by())
        return villages

    def _villages_of(self, objs):
        """The villages of unsaved rows, from the foreign key on the way to them."""
        first, _, rest = self.village_path.partition("__")
        ids = {getattr(obj, f"{first}_id") for obj in objs}
        if not rest:
            return ids
        related = self.model._meta.get_field(first).related_model
        villages = set()
        for chunk in chunked(ids):
            rows = related.objects.filter(pk__in=chunk).values_list(rest, flat=True)
            villages.update(rows.order_by())
        return villages

    def update(self, **kwargs):
        levels = _levels()
        with transaction.atomic(using=self.db), levels.deferred():
            pks = list(self.values_list("pk", flat=True).order_by())
            levels.inputs_written(self._villages(pks))  # those they leave …
            rows = super().update(**kwargs)
            levels.inputs_written(self._villages(pks))  # … and those they join
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            _levels().inputs_written(self._villages_of(objs))
        return created

    bulk_create.alters_data = True


class ProfileSnapshotQuerySet(LevelInputQuerySet, CityTrackedQuerySet):
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
    def cpr(self):
        """Contraceptive prevalence: active users per 100 PUS."""
        return _percent(self.active_users, self.pus)

    @property
    def mkjp_share(self):
        """Share of active users on a long-acting method (IUD, implant, MOW, MOP)."""
        return _percent(self.long_acting_users, self.active_users)

    @property
    def unmet_need(self):
        """PUS who want no more or later children but use no method, per 100 PUS."""
        return _percent(self.iat + self.tial, self.pus)


class FamilyFunction(models.TextChoices):
    """The eight functions of the family an activity serves, as the portal lists them."""

    RELIGION = "agama", _("Agama")
    CULTURE = "sosial_budaya", _("Sosial budaya")
    LOVE = "cinta_kasih", _("Cinta kasih")
    PROTECTION = "perlindungan", _("Perlindungan")
    REPRODUCTION = "reproduksi", _("Reproduksi")
    EDUCATION = "pendidikan", _("Pendidikan")
    ECONOMY = "ekonomi", _("Ekonomi")
    ENVIRONMENT = "lingkungan", _("Lingkungan")


class TargetGroup(models.TextChoices):
    FAMILIES_WITH_TODDLER = "keluarga_balita", _("Keluarga dengan balita")
    FAMILIES_WITH_TEEN = "keluarga_remaja", _("Keluarga dengan remaja")
    FAMILIES_WITH_ELDERLY = "keluarga_lansia", _("Keluarga dengan lansia")
    YOUTHS = "remaja", _("Remaja")
    PUS = "pus", _("Pasangan usia subur (PUS)")
    WOMEN = "perempuan", _("Perempuan")
    ELDERLY = "lansia", _("Lansia")
    EVERYONE = "masyarakat", _("Masyarakat umum")


PHOTOS_PER_ACTIVITY = 5


class ActivityQuerySet(LevelInputQuerySet):
    def for_list(self):
        """Latest first, each with how many photos it has (a count groups the rows,
        which drops the model's ordering)."""
        return self.annotate(photo_count=Count("photos")).order_by("-date", "-id")


class Activity(QuickChoiceDisplay, models.Model):
    """An activity (intervensi) held in a Kampung KB. The distinct agencies of a
    village's activities are the portal's cross-sector indicator."""

    kampung = models.ForeignKey(
        KampungKB, models.PROTECT, related_name="activities", verbose_name=_("Kampung KB")
    )
    title = models.CharField(_("judul kegiatan"), max_length=200)
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    family_function = models.CharField(
        _("fungsi keluarga"), max_length=15, choices=FamilyFunction.choices
    )
    target_groups = ChoiceListField(_("sasaran"), item_choices=TargetGroup.choices)
    agencies = models.ManyToManyField(
        Agency,
        through="ActivityAgency",
        blank=True,
        related_name="activities",
        verbose_name=_("perangkat daerah yang terlibat"),
        help_text=_("Tiap perangkat daerah dihitung sekali untuk indikator lintas sektor."),
    )
    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("kegiatan (intervensi)")
        verbose_name_plural = _("kegiatan (intervensi)")
        indexes = [models.Index(fields=["kampung", "-date", "-id"], name="activity_village_latest")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("villages:activity", args=[self.pk])

    def clean(self):
        if self.date and self.date > timezone.localdate():
            raise ValidationError(
                {"date": _("Kegiatan dicatat sesudah berlangsung: tanggalnya belum lewat.")}
            )

    def target_group_labels(self):
        return [TargetGroup(key).label for key in self.target_groups]

    def free_photo_slot(self):
        """The first free place for a photo, with the activity's row locked until the
        caller's transaction ends: two uploads at once cannot take one place."""
        Activity.objects.select_for_update().filter(pk=self.pk).exists()
        taken = set(self.photos.values_list("slot", flat=True))
        free = set(range(1, PHOTOS_PER_ACTIVITY + 1)) - taken
        if not free:
            raise ValidationError(
                _("Satu kegiatan paling banyak %(n)s foto: hapus satu foto dulu."),
                params={"n": PHOTOS_PER_ACTIVITY},
            )
        return min(free)


class ActivityAgencyQuerySet(LevelInputQuerySet):
    village_path = "activity__kampung"


class ActivityAgency(models.Model):
    activity = models.ForeignKey(Activity, models.CASCADE)
    # An agency on the record of an activity stays: deleting it is refused.
    agency = models.ForeignKey(Agency, models.PROTECT, verbose_name=_("perangkat daerah"))
    objects = ActivityAgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("perangkat daerah dalam kegiatan")
        verbose_name_plural = _("perangkat daerah dalam kegiatan")
        constraints = [
            models.UniqueConstraint(fields=["activity", "agency"], name="activity_agency_once"),
        ]

    def __str__(self):
        return f"{self.activity} — {self.agency}"


class ActivityPhoto(QuickChoiceDisplay, models.Model):
    class Kind(models.TextChoices):
        BEFORE = "sebelum", _("Sebelum")
        AFTER = "sesudah", _("Sesudah")
        DURING = "kegiatan", _("Kegiatan")

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="photos")
    # Its place among the activity's photos, given on save: the database holds five.
    slot = models.PositiveSmallIntegerField(_("urutan"), editable=False)
    kind = models.CharField(
        _("jenis foto"), max_length=10, choices=Kind.choices, default=Kind.DURING
    )
    image = PhotoField(
        _("foto"),
        help_text=_("JPEG, PNG atau WebP, paling besar 5 MB."),
    )
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        ordering = ["activity", "slot"]
        verbose_name = _("foto kegiatan")
        verbose_name_plural = _("foto kegiatan")
        constraints = [
            models.UniqueConstraint(fields=["activity", "slot"], name="photo_slot_once"),
            models.CheckConstraint(
                condition=Q(slot__gte=1, slot__lte=PHOTOS_PER_ACTIVITY),
                name="photo_at_most_five",
                violation_error_message=_("Satu kegiatan paling banyak lima foto."),
            ),
        ]

    def __str__(self):
        return f"{self.activity} — {self.get_kind_display()}"

    @transaction.atomic  # the place taken and the row that takes it, together
    def save(self, *args, **kwargs):
        if self.slot is None:
            self.slot = self.activity.free_photo_slot()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("villages:activity_photo", args=[self.pk])

    @property
    def content_type(self):
        return CONTENT_TYPES.get(extension(self.image.name), "application/octet-stream")
