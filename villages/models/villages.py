"""The Kampung KB, the people of the programme and the posts they hold: managers of a
village and members of a Pokja."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kampungkb.concurrency import Versioned
from kampungkb.fields import ChoiceListField

from ..validators import RangeValidator, validate_nik
from .regions import Agency, City, District, Kelurahan


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


@dataclass(frozen=True)
class Bounds:
    """A box of latitudes and longitudes: the form's rule and the database's."""

    south: Decimal
    north: Decimal
    west: Decimal
    east: Decimal

    @property
    def latitude_validator(self):
        return RangeValidator(
            self.south, self.north, _("Lintang di Indonesia antara %(low)s dan %(high)s.")
        )

    @property
    def longitude_validator(self):
        return RangeValidator(
            self.west, self.east, _("Bujur di Indonesia antara %(low)s dan %(high)s.")
        )

    def constraint(self, name):
        return models.CheckConstraint(
            condition=(
                (Q(latitude__isnull=True) | Q(latitude__gte=self.south, latitude__lte=self.north))
                & (
                    Q(longitude__isnull=True)
                    | Q(longitude__gte=self.west, longitude__lte=self.east)
                )
            ),
            name=name,
            violation_error_message=_("Koordinat berada di luar Indonesia."),
        )


#: Indonesia from Rote to Weh and from Weh to Merauke, with half a degree to spare.
INDONESIA = Bounds(Decimal("-11.5"), Decimal("6.5"), Decimal("94.5"), Decimal("141.5"))


class KampungKBQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=KampungKB.Status.ACTIVE)

    def in_districts(self, districts):
        return self.filter(kelurahan__district__in=districts)

    def with_level(self):
        """Annotate `effective_level`: a dinas override where there is one, else computed."""
        return self.annotate(
            effective_level=Coalesce(NullIf("level_override", Value("")), "computed_level")
        )

    def at_level(self, level):
        return self.with_level().filter(effective_level=level)

    def level_counts(self):
        """[(level, villages)] for every level, lowest first."""
        counts = dict(
            self.with_level().values_list("effective_level").annotate(n=Count("id")).order_by()
        )
        return [(level, counts.get(level.value, 0)) for level in Level]

    def with_agency_count(self, held_before=None):
        """Annotate `agency_count`: the distinct agencies in each village's activities
        (those held before a date, where one is given), the portal's cross-sector
        indicator."""
        held = {"activities__kampung": OuterRef("pk")}
        if held_before:
            held["activities__date__lt"] = held_before  # the same activity: one filter()
        agencies = (
            Agency.objects.filter(**held)
            .order_by()
            .values("activities__kampung")
            .annotate(n=Count("pk", distinct=True))
            .values("n")
        )
        return self.annotate(agency_count=Coalesce(Subquery(agencies), 0))


class KampungKB(Versioned):
    class Status(models.TextChoices):
        ACTIVE = "aktif", _("Aktif")
        INACTIVE = "nonaktif", _("Tidak aktif")

    name = models.CharField(_("nama"), max_length=150)
    kelurahan = models.ForeignKey(
        Kelurahan, models.PROTECT, related_name="kampung_kb", verbose_name=_("kelurahan")
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
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[INDONESIA.latitude_validator],
        help_text=_("Derajat desimal, misalnya -0,026330 (Indonesia: -11,5 sampai 6,5)."),
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[INDONESIA.longitude_validator],
        help_text=_("Derajat desimal, misalnya 109,342504 (Indonesia: 94,5 sampai 141,5)."),
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
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditetapkan oleh"),
    )
    history = HistoricalRecords()
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
            INDONESIA.constraint("kampungkb_in_indonesia"),
        ]
        indexes = [
            models.Index(fields=["computed_level", "level_override"]),
            models.Index(fields=["name", "id"], name="kampungkb_list_order"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("overview:village", args=[self.pk])

    @property
    def city(self):
        return self.kelurahan.district.city

    @property
    def level(self):
        """The level dinas set by hand, where it did, else the one its data gives."""
        return Level(self.level_override or self.computed_level)

    def get_level_display(self):
        return self.level.label

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

    class Meta:
        ordering = ["name"]
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        indexes = [models.Index(fields=["city", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("overview:person", args=[self.pk])

    @property
    def masked_nik(self):
        if not self.nik:
            return ""
        return f"{self.nik[:4]}{'•' * 8}{self.nik[12:]}"


class Manager(models.Model):
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


class Pokja(models.Model):
    """A working group at city, kecamatan or kelurahan level."""

    class Level(models.TextChoices):
        CITY = "kota", _("Kota")
        DISTRICT = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")

    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    city = models.ForeignKey(City, models.PROTECT, related_name="pokja", verbose_name=_("kota"))
    district = models.ForeignKey(
        District,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="pokja",
        verbose_name=_("kecamatan"),
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="pokja",
        verbose_name=_("kelurahan"),
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
        return _("Pokja %(place)s") % {"place": self.place_name}

    def get_absolute_url(self):
        return reverse("villages:pokja", args=[self.pk])

    @property
    def place(self):
        return self.kelurahan or self.district or self.city

    @property
    def place_name(self):
        """The place as its level names it: "Kota Pontianak" is already a city's name,
        a kecamatan and a kelurahan take their word."""
        if self.level == self.Level.CITY:
            return self.city.name
        return f"{self.get_level_display()} {self.place.name}"


class PokjaMember(models.Model):
    class Role(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        WAKIL = "wakil", _("Wakil ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        ANGGOTA = "anggota", _("Anggota")

    pokja = models.ForeignKey(
        Pokja, models.PROTECT, related_name="members", verbose_name=_("Pokja")
    )
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
