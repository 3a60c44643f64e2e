"""Optimistic locking: the second of two people editing one record is refused.

A versioned model carries a counter. Its form remembers the counter it was opened
with; saving bumps the counter only if it is still that value, so a save based on
an outdated page changes nothing and the user is told to reload.
"""

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Data ini telah diubah orang lain sejak Anda membukanya. "
    "Muat ulang halaman untuk melihat versi terbaru, lalu ulangi perubahan Anda."
)


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True


class VersionedModelForm(forms.ModelForm):
    """A ModelForm for a `Versioned` model that refuses to overwrite a newer save."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not self._version_is_current(cleaned.get("version")):
            raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return cleaned

    def _version_is_current(self, version):
        model = type(self.instance)
        return model.objects.filter(pk=self.instance.pk, version=version).exists()

    @transaction.atomic
    def save(self, commit=True):
        if self.instance.pk:
            expected = self.cleaned_data["version"]
            bumped = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk, version=expected)
                .update(version=expected + 1)
            )
            if not bumped:  # someone saved between clean() and now
                raise StaleEdit(STALE_MESSAGE)
            self.instance.version = expected + 1
        return super().save(commit=commit)


class StaleEdit(Exception):
    pass
