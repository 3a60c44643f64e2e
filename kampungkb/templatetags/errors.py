"""`{% error_summary form other_form list_of_forms formset %}`: what went wrong in the
forms of a page, in one box at its top (the GOV.UK pattern), each error linking to
its field; app.js gives the box the focus, so that it is read first."""

from django import template

register = template.Library()


@register.inclusion_tag("partials/error_summary.html")
def error_summary(*forms):
    """The invalid ones of `forms`, each a form, a list of forms or a formset."""
    flat = []
    for item in forms:
        if hasattr(item, "non_form_errors"):  # a formset: its own errors, then its forms'
            flat.append(FormsetErrors(item))
            flat.extend(item.forms)
        elif isinstance(item, (list, tuple)):
            flat.extend(item)
        elif item is not None:
            flat.append(item)
    return {"forms": [form for form in flat if form.errors]}


class FormsetErrors:
    """A formset's errors that belong to none of its forms, read as a form's."""

    def __init__(self, formset):
        self.errors = formset.non_form_errors() if formset.is_bound else []

    def non_field_errors(self):
        return self.errors

    def __iter__(self):
        return iter(())
