"""Model fields of our own."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """Several values out of one set of choices, kept as a JSON list.

    Its form field is a set of checkboxes, every item is checked against the
    choices on save (pages, admin and imports alike), and the history names the
    items by their labels. The list is kept in the order of the choices, whatever
    order it came in: the same set is always the same value, so that a form sent back
    unchanged changes nothing.
    """

    def __init__(self, *args, item_choices=(), **kwargs):
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "item_choices": self.item_choices}

    @property
    def item_labels(self):
        return dict(self.item_choices)

    def in_order(self, items):
        """`items` once each, in the order of the choices (unknown ones last)."""
        order = {value: index for index, (value, _label) in enumerate(self.item_choices)}
        return sorted(set(items), key=lambda item: (order.get(item, len(order)), str(item)))

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, list):
            value = self.in_order(value)
            setattr(model_instance, self.attname, value)
        return value

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list) or any(item not in self.item_labels for item in value):
            raise ValidationError(_("Pilih dari daftar yang tersedia."), code="invalid_choice")

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            **{
                "label": capfirst(self.verbose_name),
                "help_text": self.help_text,
                "required": not self.blank,
                "choices": self.item_choices,
                "widget": forms.CheckboxSelectMultiple,
                **kwargs,
            }
        )
