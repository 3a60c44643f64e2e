from django import template
from django.utils.html import format_html_join

register = template.Library()


def _value_and_label(choice):
    """A (value, label) pair, or a region (City, District, Kelurahan) by code and name."""
    if hasattr(choice, "code"):
        return choice.code, choice.name
    return choice


@register.simple_tag
def options(choices, selected=None):
    """The <option>s of a filter, `selected` marked: one call for the whole list,
    where a template loop costs several nodes per option (a national user's kota
    list alone has 70)."""
    selected = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) == selected else "", label)
            for value, label in map(_value_and_label, choices)
        ),
    )
