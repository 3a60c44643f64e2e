"""Every form of the app, sent empty, says what went wrong where the user is looking:
one summary at the top of the page, before the form, each error linking to its
field, and the field's own message next to it (the GOV.UK pattern)."""

import pytest
from django.forms import BaseForm, BaseFormSet
from django.forms.formsets import ManagementForm
from django.urls import reverse

from .test_permissions import RULES

pytestmark = pytest.mark.django_db

#: What a browser sends for a form left empty: its CSRF token (which the test client
#: does not check), and nothing else.
EMPTY_FORM = {"csrfmiddlewaretoken": "token"}
#: Addresses of the permission matrix that are no page a form is sent from: documents,
#: feeds, probes and search results (the sign-in page, which redirects a signed-in
#: user, is tested signed out in test_foundation).
WITHOUT_FORMS = {
    "accounts:login", "alive", "health", "overview:calendar_feed", "training:attendance_pdf",
    "training:attendance_roster", "training:calendar", "training:cards_pdf",
    "training:certificates_pdf", "training:offline_worker", "training:participants_xlsx",
    "training:register_search", "villages:activity_photo", "villages:export",
    "villages:person_export", "villages:person_search", "villages:portal_export",
    "villages:profile_export", "villages:village_portal_export",
}  # fmt: skip
FORM_PAGES = sorted(
    name
    for name, (_, method, _expected) in RULES.items()
    if method == "get" and name not in WITHOUT_FORMS
)


def invalid_forms(contexts):
    """The bound forms of a response's contexts that refused their input."""
    found = []
    values = {id(v): v for context in contexts for v in context.flatten().values()}
    for value in values.values():
        items = value if isinstance(value, (list, tuple, BaseFormSet)) else [value]
        found += [
            form
            for form in items
            if isinstance(form, BaseForm)
            and form.is_bound
            and form.errors
            # a browser always sends a formset's counts; an empty test post does not
            and not isinstance(form, ManagementForm)
        ]
    return found


@pytest.mark.parametrize("name", FORM_PAGES)
def test_a_refused_form_opens_with_a_summary_linking_to_each_field(client, dinas, world, name):
    kwargs_key = RULES[name][0]
    url = reverse(name, kwargs=world[kwargs_key] if kwargs_key else None)
    client.force_login(dinas)
    page = client.get(url)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html"), url
    response = client.post(url, EMPTY_FORM)
    if response.status_code not in (200, 400) or not response.context:
        return  # accepted, or nothing to refuse in an empty form
    refused = invalid_forms(list(response.context))
    if not refused:
        return
    page = response.content.decode()
    summary = page.index("data-error-summary")
    assert summary < page.index('method="post"', page.index("<main"))
    for form in refused:
        for field in form:
            target = field.id_for_label or field.subwidgets[0].id_for_label  # boxes: the first
            for error in field.errors:
                link = f'<a href="#{target}">{field.label}</a>: {error}'
                assert link in page[summary:], (url, field.name)
                assert f'id="{target}"' in page, (url, field.name)
