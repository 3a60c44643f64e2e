"""Labels of choices at the cost of a dict lookup."""

import functools

from django.utils import translation


@functools.cache
def _labels(choices, language):
    """{value: label} of `choices` (a field's, or a `TextChoices` class) in `language`,
    built once per process: choices and their translations are code."""
    pairs = choices.flatchoices if hasattr(choices, "flatchoices") else choices.choices
    with translation.override(language):
        return {value: str(label) for value, label in pairs}


def labels(choices):
    """{value: label} of `choices` in the active language: for a table that shows a
    label on every row."""
    return _labels(choices, translation.get_language())


def label(choices, value):
    """The label of `value` among `choices` in the active language; `value` itself
    where it is none of them."""
    return labels(choices).get(value, value)


class QuickChoiceDisplay:
    """Model mixin: Django rebuilds a field's choice dict on every `get_FOO_display()`
    call, translating every label of the field to hash it (a 155-row participant list
    made 750 translations). Here each field's labels are translated once per language."""

    def _get_FIELD_display(self, field):
        return label(field, getattr(self, field.attname))
