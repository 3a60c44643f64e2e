"""Pieces shared by every app's forms and form views."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from .concurrency import StaleEdit


class SearchSelect(forms.Select):
    """A select that renders only the chosen option; others arrive by an htmx search.

    A dropdown of every person in a city would be thousands of options on a phone.
    """

    template_name = "widgets/search_select.html"

    class Media:
        js = ["vendor/htmx/htmx.min.js"]

    def __init__(self, search_url, attrs=None):
        super().__init__(attrs)
        self.search_url = search_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        return context

    def optgroups(self, name, value, attrs=None):
        chosen = self._chosen_keys(value)
        queryset = self.choices.queryset.filter(pk__in=chosen) if chosen else []
        all_choices, self.choices = (
            self.choices,
            [("", "---------")] + [(obj.pk, str(obj)) for obj in queryset],
        )
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = all_choices

    def _chosen_keys(self, value):
        """The submitted values that can name a row; anything else (not a key, or one
        beyond the database's integer range) shows as no choice."""
        queryset = self.choices.queryset
        primary_key = queryset.model._meta.pk
        keys = []
        for submitted in value:
            try:
                keys.append(primary_key.to_python(submitted))
            except ValidationError:
                continue
        return [key for key in keys if key is not None and _key_in_range(queryset, key)]


def _key_in_range(queryset, key):
    """Whether `key` fits the integer column of the queryset's primary key: beyond
    it, an `__in` lookup raises OverflowError on SQLite (a server error)."""
    primary_key = queryset.model._meta.pk
    low, high = connections[queryset.db].ops.integer_field_range(primary_key.get_internal_type())
    return low <= key <= high


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id beyond the database's integer range as an unknown
    choice instead of passing it to an `__in` lookup."""

    def _check_values(self, value):
        for submitted in value:  # a list: clean() refused anything else
            try:
                out_of_range = not _key_in_range(self.queryset, int(submitted))
            except (TypeError, ValueError):
                continue  # Django's own check names it
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": submitted},
                )
        return super()._check_values(value)


def fix_field(form, name, value):
    """Pin a field to a value that comes from the URL (the village of a manager, say).

    The field stays in the form, hidden and disabled, so that submitted data cannot
    change it and the model's constraints that name it are still validated.
    """
    field = form.fields[name]
    field.initial = value
    field.disabled = True
    field.widget = forms.HiddenInput()


def is_unchanged_edit(form):
    """A form of an existing record whose every field is as it was drawn."""
    return isinstance(form, forms.ModelForm) and form.instance.pk and not form.has_changed()


def save_or_render(request, form, *, template, context=None, success_message, save=None, then=None):
    """POST/redirect/GET for one form: save in a transaction, or re-render with errors.

    `save` defaults to `form.save`; the redirect goes to `then` (an object or URL)
    where given, else to what `save` returned. `success_message` is a text, or a
    function of what `save` returned, for a workflow with more than one outcome.
    A workflow's ValidationError, or a stale edit, lands on the form and nothing is saved.
    A record's form sent back as it was drawn saves nothing: no history of a change that
    did not happen.
    """
    if request.method == "POST" and form.is_valid() and is_unchanged_edit(form):
        messages.info(request, gettext("Tidak ada perubahan; tidak ada yang disimpan."))
        return redirect(then or form.instance)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                target = (save or form.save)()
        except StaleEdit as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = success_message(target) if callable(success_message) else success_message
            messages.success(request, message)
            return redirect(then or target)
    return render(request, template, {"form": form, **(context or {})})
