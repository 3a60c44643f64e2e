"""A user's personal calendar (iCal): the events and planned coaching visits in
their area and the due dates of open needs, as far as their role lets them see.

Read by the phone's calendar app at an address holding a random token (the user's
own page shows it and revokes it), so everything here goes through the same
access helpers as the pages.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from coaching.access import needs_visible_to, plans_visible_to
from training.access import events_visible_to

#: How far back and ahead the feed reaches: a calendar app re-reads it often.
PAST, AHEAD = datetime.timedelta(days=92), datetime.timedelta(days=366)


def _entry(uid, day, summary, description="", location=""):
    entry = Event()
    entry.add("uid", f"{uid}@kampungkb")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", day)
    entry.add("dtend", day + datetime.timedelta(days=1))
    entry.add("summary", summary)
    if description:
        entry.add("description", description)
    if location:
        entry.add("location", location)
    return entry


def feed(user, base_url, today):
    """The .ics text of `user`'s calendar; `base_url` makes each entry's link."""
    start, end = today - PAST, today + AHEAD
    calendar = Calendar()
    calendar.add("prodid", "-//Kampung KB//id")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Kampung KB — %(user)s") % {"user": user.get_username()})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    events = events_visible_to(user).filter(days__date__range=(start, end))
    for event in events.distinct().prefetch_related("days"):
        for day in event.days.all():
            calendar.add_component(
                _entry(
                    f"event-{event.pk}-{day.date:%Y%m%d}",
                    day.date,
                    event.title,
                    f"{base_url}{event.get_absolute_url()}",
                    event.venue,
                )
            )
    plans = (
        plans_visible_to(user)
        .filter(planned_date__range=(start, end), visit__isnull=True)
        .select_related("kampung")
    )
    for plan in plans:
        calendar.add_component(
            _entry(
                f"plan-{plan.pk}",
                plan.planned_date,
                _("Pembinaan: %(village)s") % {"village": plan.kampung.name},
                f"{base_url}{plan.kampung.get_absolute_url()}",
            )
        )
    needs = needs_visible_to(user).open().filter(due_date__range=(start, end))
    for need in needs.select_related("kampung", "agency"):
        calendar.add_component(
            _entry(
                f"need-{need.pk}",
                need.due_date,
                _("Tenggat: %(need)s (%(village)s)")
                % {"need": need.description[:80], "village": need.kampung.name},
                f"{base_url}{need.kampung.get_absolute_url()}",
            )
        )
    return calendar.to_ical()
