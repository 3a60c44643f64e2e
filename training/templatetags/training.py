from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def attendance_rows(rows):
    """The rows of the attendance grid, `(registration, [(day, options), ...])`, drawn
    in one go: a 155 × 2 grid has 155 rows and 310 cells, which template loops, or
    `format_html` once a cell, draw at three times the cost of the rest of the page.

    Every text is escaped once, here, before it is placed: the person's name (in the
    row's heading and in each cell's label for screen readers), the category and the
    dates; the rest are numbers, and the prepared `<option>`s are kept as they are
    only when marked safe."""
    day_labels = {}
    html = []
    for number, (registration, cells) in enumerate(rows, start=1):
        name = escape(registration.attendee.name)
        category = escape(registration.get_category_display())
        html.append(
            f'<tr><th scope="row" class="fw-normal">{number}. {name}'
            f'<div class="small text-body-secondary">{category}</div></th>'
        )
        for day, options in cells:
            options = conditional_escape(options)
            if day.pk not in day_labels:
                day_labels[day.pk] = escape(date_format(day.date, "j F"))
            html.append(
                f'<td class="att-cell"><select class="form-select form-select-sm"'
                f' name="a-{registration.pk}-{day.pk}" data-day="{day.pk}"'
                f' aria-label="{name}, {day_labels[day.pk]}">{options}</select></td>'
            )
        html.append("</tr>")
    return mark_safe("".join(html))
