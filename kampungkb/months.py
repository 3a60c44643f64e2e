"""Month arithmetic on first-of-month dates, as plans, snapshots and reports use them."""

import datetime


def add_months(month, n):
    """The first day of the month `n` months after that of `month` (before, for n < 0)."""
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_asked(params, default, name="mulai"):
    """The first day of the month `params[name]` names as YYYY-MM, else `default`."""
    try:
        return datetime.datetime.strptime(params.get(name, ""), "%Y-%m").date()
    except ValueError:
        return default


def months_from(first_month, count=12):
    """The first days of `count` months starting at `first_month`."""
    return [add_months(first_month, n) for n in range(count)]


def next_month(month):
    return add_months(month, 1)


def previous_month(month):
    return add_months(month, -1)
