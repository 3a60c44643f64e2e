"""The Kemendagri regions and the city agencies: reference data, loaded from the files
in villages/data/ (`villages.reference`), never typed."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")

    def __str__(self):
        return self.abbreviation

    def get_absolute_url(self):
        return reverse("overview:agency", args=[self.pk])
