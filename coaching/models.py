from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kampungkb.concurrency import Versioned
from kampungkb.history import History
from villages.models import Agency, KampungKB, Person


class CoachingPlan(models.Model):
    """One planned coaching visit: a Kampung KB in a month of the year's schedule."""

    kampung = models.ForeignKey(
        KampungKB, models.PROTECT, related_name="coaching_plans", verbose_name=_("Kampung KB")
    )
    month = models.DateField(_("bulan"))
    planned_date = models.DateField(_("tanggal rencana"))
    team = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("tim"))
    agencies_invited = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("instansi diundang")
    )

    class Meta:
        ordering = ["month", "kampung__name"]
        verbose_name = _("rencana pembinaan")
        verbose_name_plural = _("rencana pembinaan")
        constraints = [
            models.UniqueConstraint(fields=["kampung", "month"], name="plan_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="plan_month_first_day"),
        ]
        indexes = [models.Index(fields=["month"], name="plan_month")]

    def __str__(self):
        return f"{self.kampung} {self.month:%m/%Y}"


class CoachingVisit(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        VERIFIED = "verified", _("Terverifikasi")

    kampung = models.ForeignKey(
        KampungKB, models.PROTECT, related_name="visits", verbose_name=_("Kampung KB")
    )
    plan = models.OneToOneField(
        CoachingPlan, models.SET_NULL, null=True, blank=True, related_name="visit"
    )
    date = models.DateField(_("tanggal kunjungan"))
    team = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("tim"))
    agencies_present = models.ManyToManyField(
        Agency, blank=True, related_name="visits", verbose_name=_("instansi hadir")
    )
    topics = models.TextField(_("materi pembinaan"), blank=True)
    findings = models.TextField(_("temuan"), blank=True)
    recommendations = models.TextField(_("rekomendasi"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    verified_at = models.DateTimeField(_("waktu verifikasi"), null=True, blank=True)
    # The village's activity record of this visit, so that it is typed once.
    activity = models.OneToOneField(
        "villages.Activity",
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="visit",
        verbose_name=_("kegiatan (intervensi)"),
    )
    history = History(excluded_fields=["version"], m2m_fields=["team", "agencies_present"])

    class Meta:
        ordering = ["-date"]
        verbose_name = _("kunjungan pembinaan")
        verbose_name_plural = _("kunjungan pembinaan")
        indexes = [models.Index(fields=["kampung", "date"])]

    def __str__(self):
        return f"{self.kampung} {self.date:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("coaching:visit", args=[self.pk])

    @property
    def is_locked(self):
        return self.status == self.Status.VERIFIED


class NeedQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Need.CLOSED_STATUSES)


class Need(models.Model):
    class Category(models.TextChoices):
        FACILITIES = "sarana", _("Sarana dan prasarana")
        DATA = "data", _("Data")
        TRAINING = "pelatihan", _("Pelatihan")
        BUDGET = "anggaran", _("Anggaran")
        INSTITUTION = "kelembagaan", _("Kelembagaan")
        CROSS_SECTOR = "lintas_sektor", _("Lintas sektor")

    class Priority(models.TextChoices):
        HIGH = "tinggi", _("Tinggi")
        MEDIUM = "sedang", _("Sedang")
        LOW = "rendah", _("Rendah")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Teridentifikasi")
        ASSIGNED = "assigned", _("Ditugaskan")
        IN_PROGRESS = "in_progress", _("Dalam proses")
        MET = "met", _("Terpenuhi")
        DROPPED = "dropped", _("Dibatalkan")

    CLOSED_STATUSES = (Status.MET, Status.DROPPED)

    kampung = models.ForeignKey(
        KampungKB, models.PROTECT, related_name="needs", verbose_name=_("Kampung KB")
    )
    raised_at = models.ForeignKey(
        CoachingVisit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_needs",
        verbose_name=_("diangkat pada kunjungan"),
    )
    category = models.CharField(_("kategori"), max_length=15, choices=Category.choices)
    description = models.TextField(_("uraian kebutuhan"))
    priority = models.CharField(
        _("prioritas"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("instansi penanggung jawab"),
    )
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDENTIFIED
    )
    history = HistoricalRecords()
    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("kebutuhan")
        verbose_name_plural = _("kebutuhan")
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["status"])]

    def __str__(self):
        return self.description[:60]

    @property
    def is_open(self):
        return self.status not in self.CLOSED_STATUSES


class NeedUpdate(models.Model):
    """A dated note on a need's progress, usually made at a later visit."""

    need = models.ForeignKey(Need, models.CASCADE, related_name="updates")
    visit = models.ForeignKey(
        CoachingVisit, models.PROTECT, null=True, blank=True, related_name="need_updates"
    )
    date = models.DateField(_("tanggal"))
    status = models.CharField(_("status"), max_length=12, choices=Need.Status.choices)
    note = models.TextField(_("catatan"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("perkembangan kebutuhan")
        verbose_name_plural = _("perkembangan kebutuhan")
        constraints = [
            models.UniqueConstraint(fields=["need", "visit"], name="needupdate_once_per_visit"),
        ]

    def __str__(self):
        return f"{self.need} {self.date}: {self.get_status_display()}"
