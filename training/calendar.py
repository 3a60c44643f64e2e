"""An event's days in calendars: entries for an .ics file or a feed, and a link that
opens Google Calendar with one day filled in."""

from urllib.parse import urlencode

from django.utils import translation
from django.utils.translation import gettext as _

from kampungkb import ical


def details(event, link):
    """What a calendar entry of the event says beside its title and place."""
    lines = [event.organiser.name]
    if event.contact_name or event.contact_phone:
        contact = " ".join(part for part in (event.contact_name, event.contact_phone) if part)
        lines.append(_("Narahubung: %(contact)s") % {"contact": contact})
    return "\n".join([*lines, link])


def day_entries(event, link):
    """One timed entry per day of `event` (its days prefetched or not)."""
    description = details(event, link)
    return [
        ical.entry(
            f"event-{event.pk}-{day.date:%Y%m%d}",
            day.starts,
            day.ends,
            event.title,
            description=description,
            location=event.venue,
        )
        for day in event.days.all()
    ]


@translation.override("id")
def event_ics(event, link):
    """The .ics file of one event: every day, timed."""
    result = ical.calendar(event.title)
    for item in day_entries(event, link):
        result.add_component(item)
    return ical.to_ical(result)


def google_calendar_url(event, day, link):
    """Google Calendar's "add event" page with `day` of `event` filled in."""
    span = f"{day.starts:%Y%m%dT%H%M%S}/{day.ends:%Y%m%dT%H%M%S}"
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": span,
            "ctz": str(day.starts.tzinfo),
            "location": event.venue,
            "details": details(event, link),
        }
    )
    return f"https://calendar.google.com/calendar/render?{query}"
