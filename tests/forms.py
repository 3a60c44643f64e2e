"""Filling in a form as a browser would: what its page shows, with some fields changed."""

import datetime

from django.forms import BaseForm, BaseFormSet, MultiWidget
from django.urls import reverse


def _posted(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return "" if value is None else str(value)


def form_data(form):
    """The data a browser posts back for `form` as it was drawn."""
    data = {}
    for field in form:
        value = field.value()
        widget = field.field.widget
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(value) if not isinstance(value, list) else value
            for index, part in enumerate(parts):
                data[f"{field.html_name}_{index}"] = _posted(part)
            continue
        if value is None and getattr(widget, "allow_multiple_selected", False):
            continue  # no box ticked: a browser sends nothing
        posted = _posted(value)
        if posted is not None:
            data[field.html_name] = posted
    return data


def _formset_data(formset):
    data = form_data(formset.management_form)
    for form in formset.forms:
        data.update(form_data(form))
    return data


def page_form_data(response):
    """The data of the forms a page drew: the admin's with its inline formsets, or
    every form and formset of an app's page (a visit has its needs' forms too)."""
    context = response.context
    if "adminform" in context:
        data = form_data(context["adminform"].form)
        for inline in context["inline_admin_formsets"]:
            data.update(_formset_data(inline.formset))
        return data
    data = {}
    contexts = context if isinstance(context, list) else [context]  # a ContextList
    values = [value for each in contexts for value in each.flatten().values()]
    for value in values:
        for form in value if isinstance(value, list) else [value]:
            if isinstance(form, BaseFormSet):
                data.update(_formset_data(form))
            elif isinstance(form, BaseForm):
                data.update(form_data(form))
    return data


def submit(client, url, **changes):
    """Open the form at `url`, change some fields, send it; the response must redirect."""
    data = {**page_form_data(client.get(url)), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    return response


def _errors(response):
    context = response.context
    if context and "adminform" in context:
        return context["adminform"].form.errors
    return context.get("form").errors if context and context.get("form") else response


def admin_url(obj, action="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{action}", args=[obj.pk])


def admin_change(admin_client, obj, **changes):
    return submit(admin_client, admin_url(obj), **changes)


def admin_delete(admin_client, obj):
    response = admin_client.post(admin_url(obj, "delete"), {"post": "yes"})
    assert response.status_code == 302
