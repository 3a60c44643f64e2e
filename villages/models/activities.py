"""What happens in a Kampung KB: its activities (intervensi), the agencies that take
part in them and their photos."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kampungkb.concurrency import Versioned
from kampungkb.fields import ChoiceListField
from kampungkb.history import History

from ..photos import CONTENT_TYPES, PhotoField, extension
from .profiles import LevelInputQuerySet
from .regions import Agency
from .villages import KampungKB


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


class ActivityAgencyQuerySet(LevelInputQuerySet):
    village_path = "activity__kampung"


class ActivityAgency(models.Model):
    activity = models.ForeignKey("villages.Activity", models.CASCADE)
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


class Activity(Versioned):
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
        through=ActivityAgency,
        blank=True,
        related_name="activities",
        verbose_name=_("perangkat daerah yang terlibat"),
        help_text=_("Tiap perangkat daerah dihitung sekali untuk indikator lintas sektor."),
    )
    history = History(excluded_fields=["version"], m2m_fields=["agencies"])
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


class ActivityPhoto(models.Model):
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
