import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kampungkb.concurrency import VersionedModelForm
from kampungkb.forms import ModelMultipleChoiceField, fix_field
from villages.access import (
    persons_visible_to,
    pokja_visible_to,
    villages_visible_to,
    visible_cities,
    visible_districts,
    visible_kelurahan,
)
from villages.forms import DATE_INPUT, PERSON_SEARCH, PersonForm
from villages.models import Agency
from villages.validators import normalize_phone

from . import pdf
from .models import MAX_DAYS, Attendance, Registration, TrainingEvent
from .offline import Mark


class DaysMixin(forms.Form):
    """An event runs on consecutive days, from first_day to last_day."""

    first_day = forms.DateField(label=_("Hari pertama"), widget=DATE_INPUT)
    last_day = forms.DateField(label=_("Hari terakhir"), widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", _("Hari terakhir tidak boleh sebelum hari pertama."))
            elif (last - first).days >= MAX_DAYS:
                self.add_error(
                    "last_day", _("Satu kegiatan paling lama %(n)d hari.") % {"n": MAX_DAYS}
                )
        return cleaned


TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EventForm(DaysMixin, VersionedModelForm):
    start_time = forms.TimeField(
        label=_("Jam mulai"),
        widget=TIME_INPUT,
        initial=datetime.time(8),
        help_text=_("Berlaku untuk setiap hari kegiatan."),
    )
    end_time = forms.TimeField(label=_("Jam selesai"), widget=TIME_INPUT, initial=datetime.time(16))

    class Meta:
        model = TrainingEvent
        fields = [
            "kind",
            "title",
            "code",
            "programme",
            "phase",
            "city",
            "target_districts",
            "organiser",
            "venue",
            "capacity",
            "committee_chair",
            "contact_name",
            "contact_phone",
            "signatory_name",
            "signatory_title",
            "signatory_nip",
            "certificate_min_days",
            "status",
        ]
        widgets = {"target_districts": forms.CheckboxSelectMultiple}
        field_classes = {"target_districts": ModelMultipleChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = visible_cities(user)
        self.fields["target_districts"].queryset = visible_districts(user).select_related("city")
        days = list(self.instance.days.all()) if self.instance.pk else []
        if days:
            self.fields["first_day"].initial = days[0].date
            self.fields["last_day"].initial = days[-1].date
            self.fields["start_time"].initial = days[0].start_time
            self.fields["end_time"].initial = days[0].end_time
        self.order_fields(
            ["kind", "title", "code", "first_day", "last_day", "start_time", "end_time"]
        )

    def clean_contact_phone(self):
        return normalize_phone(self.cleaned_data["contact_phone"])

    def clean(self):
        cleaned = super().clean()
        city, districts = cleaned.get("city"), cleaned.get("target_districts") or []
        if city and any(d.city_id != city.pk for d in districts):
            self.add_error("target_districts", _("Kecamatan sasaran harus di kota penyelenggara."))
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Jam selesai harus sesudah jam mulai."))
        return cleaned


class RegistrationForm(forms.ModelForm):
    """Who is registered, and for what: a person picked from the search results
    (`training/_door_matches.html`), or none, when a `WalkInForm` describes a
    newcomer."""

    class Meta:
        model = Registration
        fields = ["person", "category", "kampung", "kelurahan", "district", "agency"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons_visible_to(user)
        self.fields["person"].required = False
        self.fields["kampung"].queryset = villages_visible_to(user)
        self.fields["kelurahan"].queryset = visible_kelurahan(user)
        self.fields["district"].queryset = visible_districts(user)
        self.fields["agency"].queryset = Agency.objects.all()


class WalkInForm(PersonForm):
    """A newcomer at the door, not yet in the data: the few things asked there. The
    same namesake check as every person form."""

    class Meta(PersonForm.Meta):
        fields = ["name", "sex", "phone", "position", "city", "kelurahan"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        fix_field(self, "city", event.city)
        self.fields["kelurahan"].queryset = self.fields["kelurahan"].queryset.filter(
            district__city=event.city
        )
        self.fields["position"].label = _("Jabatan / instansi")

    def is_filled(self):
        """Whether the user began describing a newcomer (a name typed)."""
        return bool(self.data.get(self.add_prefix("name"), "").strip())


class SubstituteForm(forms.Form):
    substitute = forms.ModelChoiceField(
        label=_("Diwakilkan kepada"), queryset=None, widget=PERSON_SEARCH
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = persons_visible_to(user)


class BulkManagersForm(forms.Form):
    districts = ModelMultipleChoiceField(
        label=_("Kecamatan"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Semua pengelola yang sedang menjabat di Kampung KB aktif kecamatan ini."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = event.city.districts.all()
        self.fields["districts"].initial = event.target_districts.all()


class BulkPokjaForm(forms.Form):
    pokja = ModelMultipleChoiceField(
        label=_("Pokja"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Semua anggota Pokja ini yang sedang bertugas."),
    )

    def __init__(self, *args, event, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pokja"].queryset = (
            pokja_visible_to(user)
            .filter(city=event.city)
            .select_related("city", "district", "kelurahan")
        )


class NextPhaseForm(DaysMixin):
    title = forms.CharField(label=_("Judul tahap berikut"), max_length=200)
    code = forms.CharField(label=_("Kode kegiatan tahap berikut"), max_length=20)
    districts = ModelMultipleChoiceField(
        label=_("Kecamatan sasaran"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["title", "code"])
        self.fields["title"].initial = event.next_phase_title()
        districts = self.fields["districts"]
        districts.queryset = event.city.districts.exclude(pk__in=event.target_districts.all())
        covered = {
            district.pk: phase
            for phase in event.other_phases().prefetch_related("target_districts")
            for district in phase.target_districts.all()
        }
        if covered:
            districts.help_text = _(
                "Kecamatan yang bertanda sudah dicakup tahap lain program ini; "
                "pilih hanya bila memang diulang."
            )
            districts.label_from_instance = lambda d: (
                _("%(district)s — sudah dicakup %(event)s")
                % {"district": d, "event": covered[d.pk]}
                if d.pk in covered
                else str(d)
            )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if TrainingEvent.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Kode ini sudah dipakai kegiatan lain."))
        return code


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Kode pada kartu peserta"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autofocus": True,
                "inputmode": "text",
                "class": "text-uppercase",
            }
        ),
    )


#: The years a phone's moment may lie in: a clock set to 1970 or 9999 is no moment of
#: the programme's.
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


class PhoneTimeField(forms.DateTimeField):
    def clean(self, value):
        moment = super().clean(value)
        try:
            sane = moment is None or EARLIEST <= moment < LATEST
        except OverflowError:  # a year 1 in a time zone east of UTC: before year 1 there
            sane = False
        if not sane:
            raise forms.ValidationError(
                _("Waktu %(value)s tidak masuk akal; periksa jam ponsel."), params={"value": value}
            )
        return moment


#: The largest key a row of the database can have.
MAX_KEY = 2**63 - 1


class PhoneMarkForm(forms.Form):
    """One mark a phone sends, as JSON: a check-in by card code, or a grid cell set to a
    status. A field that holds a list or an object is refused, as a wrong value is."""

    id = forms.UUIDField()
    made_at = PhoneTimeField()
    seen = PhoneTimeField(required=False)
    code = forms.CharField(required=False, max_length=10)
    registration = forms.IntegerField(required=False, min_value=1, max_value=MAX_KEY)
    day = forms.IntegerField(required=False, min_value=1, max_value=MAX_KEY)
    status = forms.ChoiceField(choices=[("", "—"), *Attendance.Status.choices], required=False)

    def __init__(self, data):
        self.not_one_value = [
            name for name in self.base_fields if isinstance(data.get(name), list | dict)
        ]
        super().__init__({k: v for k, v in data.items() if k not in self.not_one_value})

    def clean(self):
        cleaned = super().clean()
        for name in self.not_one_value:
            self.add_error(name, _("Harus berupa satu nilai."))
        if not cleaned.get("code") and not (cleaned.get("registration") and cleaned.get("day")):
            raise forms.ValidationError(_("Tanda ini tidak menyebut kode kartu atau sel."))
        return cleaned

    def mark(self):
        return Mark(**self.cleaned_data)


class AttendanceListForm(forms.Form):
    """Which day's daftar hadir to print, and how many blank rows for walk-ins."""

    # Named as the address of a daftar hadir spells them: ?hari=…&kosong=…
    hari = forms.ModelChoiceField(label=_("Hari"), queryset=None, empty_label=None, required=False)
    kosong = forms.IntegerField(
        label=_("Baris kosong"),
        min_value=0,
        max_value=pdf.MAX_BLANK_ROWS,
        initial=pdf.BLANK_ROWS,
        required=False,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hari"].queryset = event.days.all()
        self.fields["hari"].label_from_instance = lambda day: date_format(day.date, "l, j F Y")

    def clean_hari(self):
        """The day asked, else the event's first."""
        day = self.cleaned_data["hari"] or self.fields["hari"].queryset.first()
        if day is None:
            raise forms.ValidationError(_("Kegiatan ini belum punya hari."))
        return day

    def clean_kosong(self):
        rows = self.cleaned_data["kosong"]
        return pdf.BLANK_ROWS if rows is None else rows
