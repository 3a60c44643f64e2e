"""What happened to an event's registrations and attendance, and to a person's
registrations, for the one history component (kampungkb/history.py)."""

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from kampungkb.history import Related

from .models import Attendance, EventDay, Registration


def _registration(record):
    if record.substitute:
        return _("Pendaftaran %(name)s (diwakili %(substitute)s)") % {
            "name": record.person.name,
            "substitute": record.substitute.name,
        }
    return _("Pendaftaran %(name)s") % {"name": record.person.name}


def _attendance(record):
    return _("Kehadiran %(name)s, %(day)s") % {
        "name": record.registration.attendee.name,
        "day": formats.date_format(record.day.date, "j M Y"),
    }


def _day(record):
    return _("Hari kegiatan %(day)s") % {"day": formats.date_format(record.date, "l, j M Y")}


def event_related(event):
    """Its days added, moved and dropped, registrations made, waitlisted, promoted,
    cancelled and substituted, and the attendance marked, of `event`."""
    return [
        Related(EventDay.history.filter(event_id=event.pk), _day),
        Related(
            Registration.history.filter(event_id=event.pk).select_related("person", "substitute"),
            _registration,
        ),
        Related(
            Attendance.history.filter(day__event_id=event.pk).select_related(
                "registration__person", "registration__substitute", "day"
            ),
            _attendance,
        ),
    ]


def person_related(person):
    """The registrations of `person`, and those where they stood in for someone."""
    mine = Q(person_id=person.pk) | Q(substitute_id=person.pk)
    return [
        Related(
            Registration.history.filter(mine).select_related("person", "substitute", "event"),
            lambda record: f"{_registration(record)} — {record.event.title}",
        )
    ]
