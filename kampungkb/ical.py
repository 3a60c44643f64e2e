"""Calendars (iCal) of the app: a personal feed, and one event's days. A timed entry
carries its time zone, described in the file, so a phone in another zone shows it
at the right hour."""

from django.utils import timezone
from icalendar import Calendar, Event


def calendar(name):
    result = Calendar()
    result.add("prodid", "-//Kampung KB//id")
    result.add("version", "2.0")
    result.add("x-wr-calname", name)
    return result


def entry(uid, start, end, summary, *, description="", location=""):
    """An entry from `start` to `end`: dates for a whole day, aware datetimes for hours."""
    result = Event()
    result.add("uid", f"{uid}@kampungkb")
    result.add("dtstamp", timezone.now())
    result.add("dtstart", start)
    result.add("dtend", end)
    result.add("summary", summary)
    if description:
        result.add("description", description)
    if location:
        result.add("location", location)
    return result


def to_ical(result):
    result.add_missing_timezones()
    return result.to_ical()
