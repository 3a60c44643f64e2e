from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kampungkb.concurrency import VersionedModelForm
from kampungkb.forms import ModelMultipleChoiceField, SearchSelect, fix_field
from kampungkb.history import readable

from .access import persons_visible_to, villages_visible_to, visible_cities, visible_kelurahan
from .models import (
    NOT_USING_FIELDS,
    PHOTOS_PER_ACTIVITY,
    POKTAN_MEMBER_FIELDS,
    USER_FIELDS,
    Activity,
    ActivityPhoto,
    Agency,
    KampungKB,
    Level,
    Manager,
    Person,
    PokjaMember,
    ProfileSnapshot,
)
from .validators import normalize_phone

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class VillageForm(VersionedModelForm):
    class Meta:
        model = KampungKB
        fields = [
            "name",
            "kelurahan",
            "rw_covered",
            "launched_on",
            "sk_number",
            "sk_date",
            "sk_issuer",
            "status",
            "location_criteria",
            "description",
            "latitude",
            "longitude",
        ]
        widgets = {
            "launched_on": DATE_INPUT,
            "sk_date": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = visible_kelurahan(user).select_related("district")


class LevelOverrideForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Klasifikasi ditetapkan"),
        choices=[("", _("— ikuti hasil perhitungan —")), *Level.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("level") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Tuliskan alasan penetapan klasifikasi."))
        return cleaned


class PersonForm(VersionedModelForm):
    # Shown only once a namesake in the same kelurahan has been found.
    confirm_duplicate = forms.BooleanField(
        label=_("Saya sudah memeriksa: ini orang yang berbeda"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Person
        fields = ["name", "sex", "nik", "phone", "position", "city", "kelurahan"]
        help_texts = {"nik": _("Opsional, 16 angka.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = visible_cities(user)
        self.fields["kelurahan"].queryset = visible_kelurahan(user).select_related("district")

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_nik(self):
        return self.cleaned_data["nik"] or None

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        if name and not cleaned.get("confirm_duplicate") and self._namesakes(name).exists():
            self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
            self.add_error(
                "name",
                _(
                    "Sudah ada orang bernama %(name)s di kelurahan ini. Periksa dulu; jika "
                    "memang orang lain, centang konfirmasi di bawah."
                )
                % {"name": name},
            )
        return cleaned

    def _namesakes(self, name):
        namesakes = Person.objects.filter(
            name__iexact=name, kelurahan=self.cleaned_data.get("kelurahan")
        )
        return namesakes.exclude(pk=self.instance.pk) if self.instance.pk else namesakes


#: A person is picked by typing a name: a city's people are too many for a dropdown.
PERSON_SEARCH = SearchSelect(reverse_lazy("villages:person_search"))


class PersonChoiceMixin:
    """Scopes a `person` field to the people the user may pick."""

    def scope_person(self, user):
        self.fields["person"].queryset = persons_visible_to(user)


class ManagerForm(PersonChoiceMixin, forms.ModelForm):
    class Meta:
        model = Manager
        fields = ["kampung", "person", "role", "sk_number", "start_date", "end_date"]
        widgets = {"person": PERSON_SEARCH, "start_date": DATE_INPUT, "end_date": DATE_INPUT}

    def __init__(self, *args, user, kampung, **kwargs):
        super().__init__(*args, **kwargs)
        fix_field(self, "kampung", kampung)
        self.scope_person(user)


class PokjaMemberForm(PersonChoiceMixin, forms.ModelForm):
    class Meta:
        model = PokjaMember
        fields = ["pokja", "person", "agency", "role", "sk_number", "term_start", "term_end"]
        widgets = {"person": PERSON_SEARCH, "term_start": DATE_INPUT, "term_end": DATE_INPUT}

    def __init__(self, *args, user, pokja, **kwargs):
        super().__init__(*args, **kwargs)
        fix_field(self, "pokja", pokja)
        self.scope_person(user)
        self.fields["agency"].queryset = Agency.objects.all()


class MonthField(forms.DateField):
    """An <input type=month> (YYYY-MM) read as the first day of that month."""

    widget = MONTH_INPUT
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        date = super().to_python(value)
        return date.replace(day=1) if date else date


#: The monthly profile as the national portal asks it, section by section.
SNAPSHOT_SECTIONS = [
    (_("Pokja dan sumber dana"), [
        "pokja_formed", "pokja_has_sk", "pokja_members", "pokja_trained", "funding_sources",
    ]),
    (_("Pendamping dan regulasi"), [
        "pkb_assigned", "pkb_name", "pkb_nip", "pkb_phone", "steered_by",
        "regulation_in_place", "regulation_issuer", "rkm_present",
    ]),
    (_("Program, data dan kegiatan operasional"), [
        "programmes", "data_used", "operational_activities",
    ]),
    (_("Penduduk"), [
        "families", "youths", "families_with_toddler", "families_with_teen",
        "families_with_elderly", "pus",
    ]),
    (_("Anggota poktan"), list(POKTAN_MEMBER_FIELDS)),
    (_("Peserta KB aktif per metode"), list(USER_FIELDS)),
    (_("PUS tidak ber-KB menurut alasan"), list(NOT_USING_FIELDS)),
]  # fmt: skip


class SnapshotForm(forms.ModelForm):
    """A month's profile. `previous` is the village's profile of the month before (or
    its latest before): a new profile opens with its answers (the view passes them as
    `initial`), and the answers that differ from it are marked, with its value."""

    month = MonthField(label=_("Bulan"))

    class Meta:
        model = ProfileSnapshot
        fields = ["kampung", "month", *(f for _legend, group in SNAPSHOT_SECTIONS for f in group)]

    def __init__(self, *args, kampung, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        fix_field(self, "kampung", kampung)
        self.previous = previous
        changed = self._differing_from_previous()
        for name in changed:
            field = ProfileSnapshot._meta.get_field(name)
            self.fields[name].help_text = _("Bulan lalu: %(value)s") % {
                "value": readable(field, getattr(previous, name)) or "—"
            }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "kampung",
            "month",
            *(
                Fieldset(
                    legend,
                    Div(
                        *(Field(name, wrapper_class=_wrapper(name, changed)) for name in group),
                        css_class="row row-cols-1 row-cols-sm-2 row-cols-xl-3",
                    ),
                )
                for legend, group in SNAPSHOT_SECTIONS
            ),
        )

    def _differing_from_previous(self):
        """The answers, as drawn or as sent, that differ from the previous profile's."""
        if self.previous is None:
            return set()
        differing = set()
        for field in ProfileSnapshot.answer_fields():
            try:
                value = self.fields[field.name].clean(self[field.name].value())
            except forms.ValidationError:
                differing.add(field.name)
                continue
            before = getattr(self.previous, field.name)
            if isinstance(value, list) and isinstance(before, list):
                value, before = set(value), set(before)
            if value != before:
                differing.add(field.name)
        return differing


class ProfileCopyForm(forms.Form):
    """Villages whose profile of a month is to be their latest one's, copied."""

    month = MonthField(label=_("Bulan"), widget=forms.HiddenInput)
    villages = ModelMultipleChoiceField(label=_("Kampung KB"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = villages_visible_to(user)


def _wrapper(name, changed):
    """The column a profile answer takes, marked where it differs from last month."""
    width = "col-12" if name in LIST_ANSWERS else "col"
    return f"{width} answer-changed" if name in changed else width


#: The answers that are lists of choices: a row of their own, the boxes side by side.
LIST_ANSWERS = {"funding_sources", "programmes", "data_used", "operational_activities"}


class ActivityForm(VersionedModelForm):
    class Meta:
        model = Activity
        fields = [
            "kampung",
            "title",
            "date",
            "place",
            "family_function",
            "target_groups",
            "agencies",
            "description",
        ]
        widgets = {
            "date": DATE_INPUT,
            "agencies": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, kampung, **kwargs):
        super().__init__(*args, **kwargs)
        fix_field(self, "kampung", kampung)
        agencies = self.fields["agencies"]
        agencies.label_from_instance = lambda agency: f"{agency.abbreviation} — {agency.name}"


class PhotoForm(forms.ModelForm):
    class Meta:
        model = ActivityPhoto
        fields = ["kind", "image", "caption"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a kept photo is described or deleted, not replaced
            del self.fields["image"]
        else:  # an empty place stays empty: the file is asked for once one is used
            self.fields["image"].required = False

    def clean(self):
        cleaned = super().clean()
        if "image" in self.fields and not cleaned.get("image") and not self.errors:
            self.add_error("image", _("Pilih fotonya, atau biarkan tempat foto ini kosong."))
        return cleaned


PhotoFormSet = forms.inlineformset_factory(
    Activity,
    ActivityPhoto,
    form=PhotoForm,
    extra=PHOTOS_PER_ACTIVITY,
    max_num=PHOTOS_PER_ACTIVITY,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


class ImportForm(forms.Form):
    MAX_SIZE = 2 * 1024 * 1024

    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Unggah berkas Excel berformat .xlsx."))
        if upload.size > self.MAX_SIZE:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 2 MB)."))
        return upload
