"""The Kemendagri regions and the city agencies: reference data, loaded from the files
in villages/data/ (`villages.reference`), never typed."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kampungkb.pdf import Letterhead, Signatory

from ..photos import PhotoField, logo_path
from ..validators import validate_nip


class Region(models.Model):
    """A Kemendagri region; codes come from the reference file, never typed."""

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    #: Kemendagri's renames, as `load_reference` applies them (villages.reference).
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name


class City(Region):
    class Meta(Region.Meta):
        verbose_name = _("kota")
        verbose_name_plural = _("kota")

    @property
    def place(self):
        """The name a document's place-and-date line gives: "Pontianak, 27 Maret 2018"."""
        return self.name.removeprefix("Kota ").removeprefix("Kabupaten ")

    @property
    def government(self):
        """The first line of its agencies' letterheads: "PEMERINTAH KOTA PONTIANAK"."""
        return f"PEMERINTAH {self.name.upper()}"


class District(Region):
    city = models.ForeignKey(City, models.PROTECT, related_name="districts", verbose_name=_("kota"))

    class Meta(Region.Meta):
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")


class Kelurahan(Region):
    district = models.ForeignKey(
        District, models.PROTECT, related_name="kelurahan", verbose_name=_("kecamatan")
    )

    class Meta(Region.Meta):
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")


class AgencyQuerySet(models.QuerySet):
    def of_city(self, city):
        """The agencies `city` may have: all but the dinas that runs the programme in
        another city and has no office here (Pasuruan's DP3AKB is not Pontianak's)."""
        here = AgencyOffice.objects.filter(city=city).values("agency")
        leading_elsewhere = AgencyOffice.objects.filter(leads_programme=True).exclude(city=city)
        return self.exclude(pk__in=leading_elsewhere.exclude(agency__in=here).values("agency"))


class Agency(models.Model):
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

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")

    def __str__(self):
        return self.abbreviation

    def get_absolute_url(self):
        return reverse("overview:agency", args=[self.pk])


class OfficeQuerySet(models.QuerySet):
    def of(self, city, agency):
        """The agency's office in `city`, or a blank one (not saved) when the admin has
        not described it yet: its documents then carry the names alone."""
        found = self.filter(city=city, agency=agency).select_related("city", "agency").first()
        return found or AgencyOffice(city=city, agency=agency)

    def leading(self, city):
        """The office that runs the programme in `city` (the dinas of its reports), or
        a blank one, of no agency, when the admin has not marked one."""
        found = self.filter(city=city, leads_programme=True).select_related("city", "agency")
        return found.first() or AgencyOffice(city=city)


class AgencyOffice(models.Model):
    """An agency as it stands in one city: the letterhead (kop surat) of its documents,
    and its head, who signs them unless an event names someone else."""

    city = models.ForeignKey(City, models.CASCADE, related_name="offices", verbose_name=_("kota"))
    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="offices", verbose_name=_("perangkat daerah")
    )
    address = models.CharField(
        _("alamat"), max_length=200, blank=True, help_text=_("Dicetak di bawah nama pada kop.")
    )
    phone = models.CharField(_("telepon kantor"), max_length=30, blank=True)
    logo = PhotoField(
        _("logo"),
        upload_to=logo_path,
        blank=True,
        help_text=_("Lambang pada kop surat: JPEG, PNG atau WebP, paling besar 5 MB."),
    )
    head_name = models.CharField(_("nama kepala"), max_length=150, blank=True)
    head_position = models.CharField(
        _("jabatan kepala"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya Kepala DP2KBP3A Kota Pontianak."),
    )
    head_nip = models.CharField(
        _("NIP kepala"), max_length=18, blank=True, validators=[validate_nip]
    )
    leads_programme = models.BooleanField(
        _("pengampu Kampung KB"),
        default=False,
        help_text=_("Dinas yang menjalankan program Kampung KB di kota ini: kop laporannya."),
    )

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["city", "agency"]
        verbose_name = _("kantor perangkat daerah")
        verbose_name_plural = _("kantor perangkat daerah")
        constraints = [
            models.UniqueConstraint(fields=["city", "agency"], name="office_once_per_city"),
            models.UniqueConstraint(
                fields=["city"],
                condition=models.Q(leads_programme=True),
                name="one_leading_office_per_city",
                violation_error_message=_("Kota ini sudah punya dinas pengampu Kampung KB."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} {self.city}"

    @property
    def head(self):
        return Signatory(self.head_position, self.head_name, self.head_nip)

    def letterhead(self):
        telephone = f"Telp. {self.phone}" if self.phone else ""
        return Letterhead(
            government=self.city.government,
            organiser=self.agency.name if self.agency_id else "",
            address=" · ".join(part for part in (self.address, telephone) if part),
            logo=self.logo.path if self.logo and self.logo.storage.exists(self.logo.name) else "",
            place=self.city.place,
        )
