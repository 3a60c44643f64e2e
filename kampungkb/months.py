"""Month arithmetic on first-of-month dates, as plans, snapshots and reports use them."""

import datetime


def months_from(first_month, count=12):
    """The first days of `count` months starting at `first_month`."""
    return [
        datetime.date(
            first_month.year + (first_month.month - 1 + n) // 12,
            (first_month.month - 1 + n) % 12 + 1,
            1,
        )
        for n in range(count)
    ]


def next_month(month):
    return months_from(month, 2)[1]


def previous_month(month):
    return (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
