from django import forms
from django.utils.translation import gettext_lazy as _

from kampungkb.concurrency import VersionedModelForm
from kampungkb.forms import ModelMultipleChoiceField, fix_field
from kampungkb.pdf import Signatory
from villages.access import persons_visible_to, visible_districts
from villages.forms import DATE_INPUT, MonthField
from villages.models import Agency
from villages.validators import validate_nip

from .models import CoachingVisit, Need


class PlanForm(forms.Form):
    first_month = MonthField(label=_("Mulai bulan"))
    months = forms.IntegerField(label=_("Jumlah bulan"), min_value=1, max_value=24, initial=12)
    districts = ModelMultipleChoiceField(
        label=_("Kecamatan"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Setiap Kampung KB aktif di kecamatan ini dikunjungi sekali sebulan."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = visible_districts(user).select_related("city")


class VisitForm(VersionedModelForm):
    class Meta:
        model = CoachingVisit
        fields = [
            "kampung",
            "date",
            "team",
            "agencies_present",
            "topics",
            "findings",
            "recommendations",
        ]
        widgets = {
            "date": DATE_INPUT,
            "agencies_present": forms.CheckboxSelectMultiple,
            "topics": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, kampung, **kwargs):
        super().__init__(*args, **kwargs)
        fix_field(self, "kampung", kampung)
        # The team comes from the dinas and its PKB: people of the village's city.
        self.fields["team"].queryset = persons_visible_to(user).filter(
            city=kampung.city.pk, kelurahan__isnull=True
        )
        self.fields["team"].required = False
        self.fields["agencies_present"].queryset = Agency.objects.all()


class NeedProgressForm(forms.Form):
    """The progress of one open need, reported at a visit."""

    status = forms.ChoiceField(label=_("Status"), choices=Need.Status.choices)
    note = forms.CharField(label=_("Catatan perkembangan"), required=False, widget=forms.TextInput)

    def __init__(self, *args, need, **kwargs):
        super().__init__(*args, prefix=f"need-{need.pk}", initial={"status": need.status}, **kwargs)
        self.need = need


class NewNeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["category", "description", "priority", "agency", "due_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False


NewNeedFormSet = forms.modelformset_factory(Need, form=NewNeedForm, extra=2, can_delete=False)


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["category", "description", "priority", "agency", "due_date", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_date": DATE_INPUT}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kembali"), widget=forms.Textarea(attrs={"rows": 2})
    )


class SignatoryForm(forms.Form):
    """Who signs a printed report: the head of the city's Kampung KB office unless
    the officer says otherwise. Read from the report's address (GET)."""

    prefix = "ttd"

    name = forms.CharField(label=_("Nama penandatangan"), max_length=150, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    nip = forms.CharField(label=_("NIP"), max_length=18, required=False, validators=[validate_nip])

    def __init__(self, data=None, *, head):
        initial = {"name": head.name, "position": head.position, "nip": head.nip} if head else {}
        asked = data if data and any(key.startswith(f"{self.prefix}-") for key in data) else None
        super().__init__(asked, initial=initial)

    def is_valid(self):
        """Not asked otherwise, the head of the office signs."""
        return not self.is_bound or super().is_valid()

    def signatory(self):
        values = self.cleaned_data if self.is_bound else self.initial
        return Signatory(values.get("position", ""), values.get("name", ""), values.get("nip", ""))
