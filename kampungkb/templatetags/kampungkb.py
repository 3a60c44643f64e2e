from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from kampungkb.html import text
from kampungkb.links import row_addresses

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
    return mark_safe(
        "".join(
            f'<option value="{text(value)}"{" selected" if str(value) == selected else ""}>'
            f"{text(label)}</option>"
            for value, label in map(_value_and_label, choices)
        )
    )


@register.simple_tag(takes_context=True)
def row_url(context, viewname, *args):
    """`{% url %}` for a link on every row of a table, whose last argument is the
    row's key: one reversal per page (`kampungkb.links`)."""
    *fixed, key = args
    if type(key) is not int:
        return reverse(viewname, args=args)
    addresses = context.render_context.setdefault(row_url, {})
    if (viewname, *fixed) not in addresses:
        addresses[viewname, *fixed] = row_addresses(viewname, *fixed)
    return addresses[viewname, *fixed](key)
