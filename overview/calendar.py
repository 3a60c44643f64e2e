"""A user's personal calendar (iCal): the events and planned coaching visits in
their area and the due dates of open needs, as far as their role lets them see.

Read by the phone's calendar app at an address holding a random token (the user's
own page shows it and revokes it), so everything here goes through the same
access helpers as the pages.
"""

import datetime

from django.utils.translation import gettext as _

from coaching.access import needs_visible_to, plans_visible_to
from kampungkb import ical
from training.access import events_visible_to
from training.calendar import day_entries

#: How far back and ahead the feed reaches: a calendar app re-reads it often.
PAST, AHEAD = datetime.timedelta(days=92), datetime.timedelta(days=366)


def _all_day(uid, day, summary, link):
    return ical.entry(uid, day, day + datetime.timedelta(days=1), summary, description=link)


def feed(user, base_url, today):
    """The .ics text of `user`'s calendar; `base_url` makes each entry's link."""
    start, end = today - PAST, today + AHEAD
    calendar = ical.calendar(_("Kampung KB — %(user)s") % {"user": user.get_username()})
    events = events_visible_to(user).filter(days__date__range=(start, end))
    for event in events.distinct().select_related("organiser").prefetch_related("days"):
        for entry in day_entries(event, f"{base_url}{event.get_absolute_url()}"):
            calendar.add_component(entry)
    plans = (
        plans_visible_to(user)
        .filter(planned_date__range=(start, end), visit__isnull=True)
        .select_related("kampung")
    )
    for plan in plans:
        calendar.add_component(
            _all_day(
                f"plan-{plan.pk}",
                plan.planned_date,
                _("Pembinaan: %(village)s") % {"village": plan.kampung.name},
                f"{base_url}{plan.kampung.get_absolute_url()}",
            )
        )
    needs = needs_visible_to(user).open().filter(due_date__range=(start, end))
    for need in needs.select_related("kampung", "agency"):
        calendar.add_component(
            _all_day(
                f"need-{need.pk}",
                need.due_date,
                _("Tenggat: %(need)s (%(village)s)")
                % {"need": need.description[:80], "village": need.kampung.name},
                f"{base_url}{need.kampung.get_absolute_url()}",
            )
        )
    return ical.to_ical(calendar)
