import datetime
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from kampungkb.concurrency import Versioned
from kampungkb.history import History
from kampungkb.pdf import Signatory
from villages.models import Agency, AgencyOffice, City, District, KampungKB, Kelurahan, Person
from villages.validators import validate_nip

#: How long after a day's start a participant checking in still counts as on time.
ON_TIME = datetime.timedelta(hours=1)
#: The longest event, in days.
MAX_DAYS = 14
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
#: "… Tahap I" at the end of a title, in Roman or Arabic numerals.
PHASE_SUFFIX = re.compile(r"\s*Tahap\s+[IVX\d]+\s*$")


def phase_label(phase):
    return ROMAN[phase - 1] if 1 <= phase <= len(ROMAN) else str(phase)


class TrainingEvent(Versioned):
    class Kind(models.TextChoices):
        BIMTEK = "bimtek", _("Bimbingan teknis")
        LOKAKARYA = "lokakarya", _("Lokakarya")
        SOSIALISASI = "sosialisasi", _("Sosialisasi")
        ORIENTASI = "orientasi", _("Orientasi")
        RAKOR = "rakor", _("Rapat koordinasi")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        OPEN = "open", _("Pendaftaran dibuka")
        CLOSED = "closed", _("Pendaftaran ditutup")
        DONE = "done", _("Selesai")

    kind = models.CharField(_("jenis"), max_length=15, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200)
    code = models.CharField(
        _("kode kegiatan"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9-]+$", _("Gunakan huruf besar, angka dan tanda -."))],
        help_text=_("Dipakai pada nomor sertifikat, misalnya BIMTEK-PTK-1."),
    )
    programme = models.CharField(
        _("program"),
        max_length=150,
        blank=True,
        help_text=_("Kegiatan bertahap memakai nama program yang sama."),
    )
    phase = models.PositiveSmallIntegerField(_("tahap"), null=True, blank=True)
    city = models.ForeignKey(City, models.PROTECT, related_name="events", verbose_name=_("kota"))
    target_districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="events",
        verbose_name=_("kecamatan sasaran"),
        help_text=_("Kosongkan untuk kegiatan tingkat kota."),
    )
    organiser = models.ForeignKey(
        Agency, models.PROTECT, related_name="organised_events", verbose_name=_("penyelenggara")
    )
    venue = models.CharField(_("tempat"), max_length=200)
    capacity = models.PositiveIntegerField(_("kapasitas"))
    committee_chair = models.CharField(_("ketua panitia"), max_length=150, blank=True)
    contact_name = models.CharField(
        _("narahubung"), max_length=150, blank=True, help_text=_("Yang dihubungi peserta.")
    )
    contact_phone = models.CharField(_("telepon narahubung"), max_length=20, blank=True)
    signatory_name = models.CharField(
        _("penandatangan"),
        max_length=150,
        blank=True,
        help_text=_(
            "Menandatangani sertifikat, daftar hadir dan rekap. Kosongkan untuk memakai "
            "kepala perangkat daerah penyelenggara."
        ),
    )
    signatory_title = models.CharField(_("jabatan penandatangan"), max_length=200, blank=True)
    signatory_nip = models.CharField(
        _("NIP penandatangan"), max_length=18, blank=True, validators=[validate_nip]
    )
    certificate_min_days = models.PositiveSmallIntegerField(
        _("sertifikat bagi yang hadir paling sedikit (hari)"),
        null=True,
        blank=True,
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS)],
        help_text=_("Kosongkan bila sertifikat hanya bagi yang hadir setiap hari kegiatan."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The activity records of the villages it concerns, one each, so that each is
    # typed once (`services.record_event_activity`).
    activities = models.ManyToManyField(
        "villages.Activity",
        blank=True,
        editable=False,
        related_name="training_events",
        verbose_name=_("kegiatan (intervensi) kampung"),
    )
    history = History(excluded_fields=["version"], m2m_fields=["target_districts"])

    class Meta:
        ordering = ["-id"]
        verbose_name = _("kegiatan pelatihan")
        verbose_name_plural = _("kegiatan pelatihan")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:detail", args=[self.pk])

    def days_for_certificate(self, number_of_days):
        """Days present that earn a certificate, of an event of `number_of_days`."""
        if self.certificate_min_days is None:
            return number_of_days
        return min(self.certificate_min_days, number_of_days)

    def certificate_rule(self):
        """The rule in words, for the event page and the summary."""
        if self.certificate_min_days is None:
            return _("Sertifikat diberikan kepada peserta yang hadir setiap hari kegiatan.")
        return ngettext(
            "Sertifikat diberikan kepada peserta yang hadir paling sedikit %(n)d hari.",
            "Sertifikat diberikan kepada peserta yang hadir paling sedikit %(n)d hari.",
            self.certificate_min_days,
        ) % {"n": self.certificate_min_days}

    def office(self):
        """The organiser's office in the event's city: its letterhead and its head."""
        return AgencyOffice.objects.of(self.city, self.organiser)

    def signatory(self, office):
        """Who signs the event's documents: the one the event names, else the head of
        the organiser's `office`."""
        if self.signatory_name or self.signatory_title:
            return Signatory(self.signatory_title, self.signatory_name, self.signatory_nip)
        return office.head

    @property
    def next_phase(self):
        return (self.phase or 1) + 1

    def next_phase_title(self):
        """This title with the next phase's number: "… Tahap I" → "… Tahap II"."""
        return f"{PHASE_SUFFIX.sub('', self.title)} Tahap {phase_label(self.next_phase)}"

    def other_phases(self):
        """The other events of the same programme in the same city."""
        programme = self.programme or self.title
        return TrainingEvent.objects.filter(city=self.city_id, programme=programme).exclude(
            pk=self.pk
        )

    def seated(self):
        """The registrations that hold one of the event's seats."""
        return self.registrations.filter(
            status=Registration.Status.REGISTERED, category__in=Registration.SEATED
        )

    def ensure_open_to_registrations(self):
        """Once an event is over, who registered and who cancelled is on the record:
        changing it means reopening the event first, a change the history keeps."""
        if self.status == self.Status.DONE:
            raise ValidationError(
                _(
                    "Kegiatan ini sudah selesai, jadi pendaftaran tidak dapat diubah. "
                    "Buka kembali kegiatan (ubah statusnya) terlebih dahulu."
                )
            )


class EventDay(models.Model):
    """A day of an event, from its start to its end time, in the configured time zone."""

    event = models.ForeignKey(
        TrainingEvent, models.CASCADE, related_name="days", verbose_name=_("kegiatan")
    )
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("jam mulai"), default=datetime.time(8))
    end_time = models.TimeField(_("jam selesai"), default=datetime.time(16))
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari kegiatan")
        verbose_name_plural = _("hari kegiatan")
        constraints = [
            models.UniqueConstraint(fields=["event", "date"], name="eventday_unique_date"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="eventday_ends_after_start",
                violation_error_message=_("Jam selesai harus sesudah jam mulai."),
            ),
        ]

    def __str__(self):
        return f"{self.event} — {self.date:%d-%m-%Y}"

    @property
    def starts(self):
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def ends(self):
        return timezone.make_aware(datetime.datetime.combine(self.date, self.end_time))

    @property
    def on_time_until(self):
        """The last moment of the day a check-in counts as on time: an hour after
        the start, as a committee waits before the opening."""
        return (datetime.datetime.combine(self.date, self.start_time) + ON_TIME).time()

    def hours(self):
        """Its hours, as in "08.00–16.00 WIB"."""
        return f"{self.start_time:%H.%M}–{self.end_time:%H.%M} {self.starts.tzname()}"


def new_checkin_code():
    return secrets.token_hex(5).upper()


#: Letters and digits no one misreads from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_certificate_code():
    """Ten characters, about 50 bits: a certificate can be checked by whoever holds
    it, and no one can list the holders by guessing."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class RegistrationQuerySet(models.QuerySet):
    def in_the_room(self):
        """Who sits in the room, as the attendance grid and the daftar hadir list them:
        the registered, by the name of the one who comes (the substitute's, where one
        stands in)."""
        return (
            self.filter(status=Registration.Status.REGISTERED)
            .shown()
            .order_by(Lower(Coalesce("substitute__name", "person__name")), "id")
        )

    def with_days_present(self):
        """Each with `days_present` (present or late) of its event's `event_days`."""
        present = Q(attendance__status__in=Attendance.PRESENT_STATUSES)
        return self.annotate(
            days_present=models.Count("attendance", filter=present, distinct=True),
            event_days=models.Count("event__days", distinct=True),
        )

    def certified(self):
        """The certificates to print: numbered, and not cancelled since (a cancelled
        one is no longer valid)."""
        return (
            self.exclude(certificate_number__isnull=True)
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("person", "substitute")
            .order_by("certificate_number")
        )

    def shown(self):
        """With what a row of a list or document shows: the people, and the unit they
        come for."""
        return self.select_related(
            "person", "substitute", "kampung", "kelurahan", "district", "agency"
        )


class Registration(models.Model):
    class Category(models.TextChoices):
        PENGELOLA = "pengelola", _("Pengelola Kampung KB")
        KEPALA_PD = "kepala_pd", _("Kepala Perangkat Daerah")
        CAMAT = "camat", _("Camat")
        LURAH = "lurah", _("Lurah")
        POKJA = "pokja", _("Pokja Kampung KB")
        PENYULUH = "penyuluh", _("Penyuluh KB")
        NARASUMBER = "narasumber", _("Narasumber")
        PANITIA = "panitia", _("Panitia")
        UNDANGAN = "undangan", _("Undangan")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Terdaftar")
        WAITLISTED = "waitlisted", _("Daftar tunggu")
        CANCELLED = "cancelled", _("Batal")

    #: Categories that take a seat of the event's capacity.
    SEATED = frozenset(Category) - {Category.NARASUMBER, Category.PANITIA}

    event = models.ForeignKey(
        TrainingEvent, models.PROTECT, related_name="registrations", verbose_name=_("kegiatan")
    )
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="registrations", verbose_name=_("peserta")
    )
    category = models.CharField(_("kategori"), max_length=12, choices=Category.choices)
    kampung = models.ForeignKey(
        KampungKB,
        models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # a partial index below: most registrations represent no village
        related_name="registrations",
        verbose_name=_("Kampung KB yang diwakili"),
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan yang diwakili"),
        help_text=_("Untuk lurah dan perangkat kelurahan."),
    )
    district = models.ForeignKey(
        District,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan yang diwakili"),
        help_text=_("Untuk camat dan perangkat kecamatan."),
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("instansi yang diwakili"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    substitute = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="substitutions",
        verbose_name=_("diwakilkan kepada"),
    )
    registered_at = models.DateTimeField(_("waktu daftar"), auto_now_add=True)
    checkin_code = models.CharField(
        _("kode hadir"), max_length=10, unique=True, default=new_checkin_code, editable=False
    )
    certificate_number = models.CharField(
        _("nomor sertifikat"), max_length=60, null=True, blank=True, unique=True
    )
    certificate_code = models.CharField(
        _("kode pemeriksaan sertifikat"),
        max_length=10,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Tercetak di sertifikat dan di kode QR-nya; nomor saja tidak cukup."),
    )
    history = HistoricalRecords()

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["registered_at", "id"]
        verbose_name = _("pendaftaran")
        verbose_name_plural = _("pendaftaran")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_event",
                violation_error_message=_("Orang ini sudah terdaftar pada kegiatan ini."),
            ),
            models.CheckConstraint(
                condition=~Q(substitute=models.F("person")),
                name="registration_substitute_is_other",
                violation_error_message=_("Pengganti harus orang lain."),
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "category"]),
            # Only the registrations that represent a village: a planner that counts the
            # NULLs of a full index takes "this village's registrations" for a million.
            models.Index(
                fields=["kampung"],
                condition=Q(kampung__isnull=False),
                name="registration_kampung",
            ),
        ]

    def __str__(self):
        return f"{self.attendee} — {self.event}"

    def clean(self):
        if self.event_id:
            self.event.ensure_open_to_registrations()
            self._ensure_a_seat()

    def _ensure_a_seat(self):
        """A registered participant takes one of the event's seats; past its capacity
        they wait (the services choose the status so; the admin is told)."""
        if self.status != self.Status.REGISTERED or not self.takes_seat:
            return
        seated = self.event.seated()
        if self.pk and seated.filter(pk=self.pk).exists():
            return  # holds its seat already (a substitution, say): no new seat taken
        if seated.count() >= self.event.capacity:
            raise ValidationError(
                {"status": _("Kapasitas kegiatan sudah penuh: pilih status Daftar tunggu.")}
            )

    @property
    def attendee(self):
        """The one who actually sits in the room: the substitute, where there is one."""
        return self.substitute or self.person

    @property
    def printed_name(self):
        """The name an SPJ document prints: who sat in the room, and whom they stood
        in for ("Sri, mewakili Kartini Rahayu (Camat Panggungrejo)")."""
        if not self.substitute:
            return self.person.name
        represented = self.person.name
        if self.person.position:
            represented = f"{represented} ({self.person.position})"
        return _("%(name)s, mewakili %(represented)s") % {
            "name": self.substitute.name,
            "represented": represented,
        }

    @property
    def printed_certificate_code(self):
        return f"{self.certificate_code[:5]}-{self.certificate_code[5:]}"

    @property
    def takes_seat(self):
        return self.category in self.SEATED

    @property
    def institution(self):
        """The unit the participant comes for: their Kampung KB, kelurahan or kecamatan,
        else their agency by its full name."""
        if self.kampung:
            return self.kampung.name
        if self.kelurahan:
            return _("Kelurahan %(name)s") % {"name": self.kelurahan.name}
        if self.district:
            return _("Kecamatan %(name)s") % {"name": self.district.name}
        return self.agency.name if self.agency else ""


DAY_OF_ANOTHER_EVENT = _("Hari itu bukan hari kegiatan peserta ini.")


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "hadir", _("Hadir")
        LATE = "terlambat", _("Terlambat")
        EXCUSED = "izin", _("Izin")
        SICK = "sakit", _("Sakit")
        ABSENT = "alpa", _("Alpa")

    #: Statuses that count as being in the room.
    PRESENT_STATUSES = (Status.PRESENT, Status.LATE)

    registration = models.ForeignKey(
        Registration, models.CASCADE, related_name="attendance", verbose_name=_("pendaftaran")
    )
    day = models.ForeignKey(
        EventDay, models.PROTECT, related_name="attendance", verbose_name=_("hari")
    )
    status = models.CharField(_("kehadiran"), max_length=10, choices=Status.choices)
    #: When the mark was made: now for a mark made online (every writer says so),
    #: the phone's time for one made without signal. It tells which of two changes
    #: to a cell came later.
    recorded_at = models.DateTimeField(_("waktu dicatat"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="attendance_once_per_day"),
        ]

    def __str__(self):
        return f"{self.registration.attendee} {self.day.date}: {self.get_status_display()}"

    def clean(self):
        if self.day_id and self.registration_id and self.day.event_id != self.registration.event_id:
            raise ValidationError({"day": DAY_OF_ANOTHER_EVENT})


class PhoneMark(models.Model):
    """A mark sent from a committee phone, perhaps made without signal, as the server
    took it. Sending it again (a retried upload, a replayed queue) finds it here, so
    nothing is recorded twice."""

    class Outcome(models.TextChoices):
        SAVED = "tersimpan", _("Tersimpan")
        REPLACED = "menggantikan", _("Menggantikan perubahan lebih awal di server")
        OUTDATED = "kalah", _("Kalah oleh perubahan lebih baru di server")
        REFUSED = "ditolak", _("Ditolak")

    event = models.ForeignKey(TrainingEvent, models.CASCADE, related_name="+")
    client_id = models.UUIDField(_("id tanda di ponsel"))
    registration = models.ForeignKey(
        Registration, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    day = models.ForeignKey(EventDay, models.SET_NULL, null=True, blank=True, related_name="+")
    made_at = models.DateTimeField(_("waktu ditandai"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(_("waktu diterima"), auto_now_add=True)
    outcome = models.CharField(_("hasil"), max_length=12, choices=Outcome.choices)

    class Meta:
        verbose_name = _("tanda dari ponsel")
        verbose_name_plural = _("tanda dari ponsel")
        constraints = [
            models.UniqueConstraint(fields=["event", "client_id"], name="phone_mark_once"),
        ]

    def __str__(self):
        return f"{self.client_id}: {self.get_outcome_display()}"
