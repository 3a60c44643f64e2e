from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kampungkb.choices import labels
from kampungkb.html import text
from kampungkb.links import row_addresses
from training.models import Registration

register = template.Library()

STATUS_BADGES = {
    Registration.Status.REGISTERED: "text-bg-success",
    Registration.Status.WAITLISTED: "text-bg-warning",
    Registration.Status.CANCELLED: "text-bg-secondary",
}


@register.simple_tag
def participant_rows(rows, event, can_edit):
    """The rows of an event's participants (`with_institutions`), drawn in one go, as
    the attendance grid's: a template loop drew 50 rows at twice the cost of the rest
    of the page. Every text is escaped once, here, before it is placed; an editor's
    row links to its substitution and carries the cancel button, which submits the
    page's one cancel form to the row's own address."""
    substitute_url = row_addresses("training:substitute", event.pk)
    cancel_url = row_addresses("training:cancel", event.pk)
    categories, statuses = labels(Registration.Category), labels(Registration.Status)
    actions = text(_("Wakil")), text(_("Batalkan"))
    html = []
    for row in rows:
        html.append(f"<tr><td>{text(row['substitute__name'] or row['person__name'])}")
        if row["substitute__name"]:
            represented = _("mewakili %(name)s") % {"name": row["person__name"]}
            html.append(f'<div class="small text-body-secondary">{text(represented)}</div>')
        if row["certificate_number"]:
            html.append(f'<div class="small">{text(row["certificate_number"])}</div>')
        html.append(
            f"</td><td>{text(categories[row['category']])}</td>"
            f'<td class="d-none d-md-table-cell">{text(row["institution"] or "—")}</td>'
            f'<td><span class="badge {STATUS_BADGES[row["status"]]}">'
            f"{text(statuses[row['status']])}</span></td>"
        )
        if can_edit:
            html.append('<td class="text-end text-nowrap">')
            if row["status"] != Registration.Status.CANCELLED:
                html.append(
                    f'<a class="btn btn-sm btn-outline-secondary"'
                    f' href="{text(substitute_url(row["pk"]))}">{actions[0]}</a> '
                    f'<button class="btn btn-sm btn-outline-danger" type="submit"'
                    f' form="cancel-registration"'
                    f' formaction="{text(cancel_url(row["pk"]))}">{actions[1]}</button>'
                )
            html.append("</td>")
        html.append("</tr>")
    return mark_safe("".join(html))


@register.simple_tag
def attendance_rows(registrations, days, marks, options):
    """The rows of the attendance grid, drawn in one go: `registrations` (of
    `RegistrationQuerySet.in_the_room`) by `days`, each cell a <select> of `options`
    ({status: its <option>s, that status selected}) as `marks` ({(registration id, day
    id): status}) hold it. A 155 × 2 grid has 155 rows and 310 cells, which template
    loops, or `format_html` once a cell, draw at three times the cost of the rest of
    the page.

    Every text is escaped once, here, before it is placed: the person's name (in the
    row's heading and in each cell's label for screen readers), the category and the
    dates; the rest are numbers, and the prepared `<option>`s are kept as they are
    only when marked safe."""
    categories = {value: text(label) for value, label in labels(Registration.Category).items()}
    options = {status: conditional_escape(html) for status, html in options.items()}
    days = [(day.pk, text(date_format(day.date, "j F"))) for day in days]
    html = []
    for number, registration in enumerate(registrations, start=1):
        name, key = text(registration.attendee_name), registration.pk
        html.append(
            f'<tr><th scope="row" class="fw-normal">{number}. {name}'
            f'<div class="small text-body-secondary">{categories[registration.category]}</div></th>'
        )
        for day, date in days:
            html.append(
                f'<td class="att-cell"><select class="form-select form-select-sm"'
                f' name="a-{key}-{day}" data-day="{day}" aria-label="{name}, {date}">'
                f"{options[marks.get((key, day), '')]}</select></td>"
            )
        html.append("</tr>")
    return mark_safe("".join(html))
