"""`get_FOO_display()` at the cost of a dict lookup."""

import functools

from django.utils.encoding import force_str


@functools.cache
def _labels(field):
    return dict(field.flatchoices)


class QuickChoiceDisplay:
    """Model mixin: Django rebuilds a field's choice dict on every `get_FOO_display()`
    call, translating each label of the field to hash it (a 155-row participant list
    made 750 translations). Here the dict is built once per field; the labels stay
    lazy and each call translates only the one it shows."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(value, value), strings_only=True)
