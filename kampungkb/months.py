"""Month arithmetic on first-of-month dates, as plans, snapshots and reports use them,
and the months a page may be asked for."""

import datetime

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

#: The months the app shows: a link or a typed month beyond them is refused (400).
FIRST_MONTH, LAST_MONTH = datetime.date(2000, 1, 1), datetime.date(2099, 12, 1)


class OutOfRange(BadRequest):
    """A month or year a page cannot show; the 400 page says which it can."""


def add_months(month, n):
    """The first day of the month `n` months after that of `month` (before, for n < 0)."""
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_asked(params, default, name="mulai"):
    """The first day of the month `params[name]` names as YYYY-MM, else `default`;
    OutOfRange for a month before 2000 or after 2099."""
    try:
        month = datetime.datetime.strptime(params.get(name, ""), "%Y-%m").date()
    except ValueError:
        return default
    if not FIRST_MONTH <= month <= LAST_MONTH:
        raise OutOfRange(
            _("Bulan %(month)s di luar jangkauan: pilih antara Januari 2000 dan Desember 2099.")
            % {"month": params[name]}
        )
    return month


def year_asked(params, name="year"):
    """The year `params[name]` names, else None; OutOfRange before 2000 or after 2099."""
    value = params.get(name, "")
    if not value.isdigit():
        return None
    if not FIRST_MONTH.year <= int(value) <= LAST_MONTH.year:
        raise OutOfRange(
            _("Tahun %(year)s di luar jangkauan: pilih antara 2000 dan 2099.") % {"year": value}
        )
    return int(value)


def months_from(first_month, count=12):
    """The first days of `count` months starting at `first_month`."""
    return [add_months(first_month, n) for n in range(count)]


def next_month(month):
    return add_months(month, 1)


def previous_month(month):
    return add_months(month, -1)
