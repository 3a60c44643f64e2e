from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def attendance_select(context, registration, day, options):
    """One cell of the attendance grid. A 155 × 2 grid has 310 of them, each named
    for screen readers by person and date; the date is formatted once per day."""
    day_labels = context.render_context.setdefault("attendance_day_labels", {})
    if day.pk not in day_labels:
        day_labels[day.pk] = date_format(day.date, "j F")
    return format_html(
        '<select class="form-select form-select-sm" name="a-{}-{}" data-day="{}"'
        ' aria-label="{}, {}">{}</select>',
        registration.pk,
        day.pk,
        day.pk,
        registration.attendee.name,
        day_labels[day.pk],
        options,
    )
