from django import template
from django.urls import reverse
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


#: A number every path converter of the app takes and no row has for a key: reversed
#: in the key's place, it marks where each row's key goes.
_KEY_MARK = 987_654_321_987_654_321


@register.simple_tag(takes_context=True)
def row_url(context, viewname, *args):
    """`{% url %}` for a link on every row of a table, whose last argument is the
    row's key: the address is reversed once per page with a mark in the key's place,
    and each row's is that address with its key put in (a reversal costs as much as
    the rest of the row)."""
    *fixed, key = args
    if type(key) is not int:
        return reverse(viewname, args=args)
    patterns = context.render_context.setdefault(row_url, {})
    pattern = patterns.get((viewname, *fixed))
    if pattern is None:
        address = reverse(viewname, args=[*fixed, _KEY_MARK])
        pattern = patterns[viewname, *fixed] = address.rpartition(str(_KEY_MARK))
    head, _mark, tail = pattern
    return f"{head}{key}{tail}"
