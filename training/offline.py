"""Attendance marked on a committee phone, with or without signal.

The phone keeps the event's roster (`roster`) and later sends the marks it made
(`receive`). Each mark carries a random id, so that sending it twice records it
once; the time it was made; and the time of the cell's last change that the phone
knew of (`seen`). A cell that changed on the server since then is a conflict: the
later of the two changes wins, by the time each was made, and the receipt says
what happened so that the phone can show it.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import services
from .models import Attendance, PhoneMark, Registration

Outcome = PhoneMark.Outcome
#: The outcome of a mark received before: nothing is recorded again.
REPEATED = "diulang"


def roster(event):
    """What a phone keeps of an event to mark attendance without signal: the days,
    who sits in the room (name, category, card code: no NIK, no phone number), and
    every cell as it stands with the time it was marked."""
    cells = Attendance.objects.filter(day__event=event).values_list(
        "registration", "day", "status", "recorded_at"
    )
    return {
        "generated_at": timezone.now().isoformat(),
        "time_zone": settings.TIME_ZONE,
        "days": [{"id": day.pk, "date": day.date.isoformat()} for day in event.days.all()],
        "participants": [
            {
                "id": registration.pk,
                "name": registration.attendee.name,
                "category": registration.get_category_display(),
                "code": registration.checkin_code,
            }
            for registration in services.daftar_hadir(event)
        ],
        "cells": {
            f"{registration}-{day}": {"status": status, "at": at.isoformat()}
            for registration, day, status, at in cells
        },
    }


@dataclass(frozen=True)
class Mark:
    """A check-in by card code, or a cell of the grid set to a status ("" clears it)."""

    id: uuid.UUID
    made_at: datetime.datetime
    seen: datetime.datetime | None
    code: str = ""
    registration: int | None = None
    day: int | None = None
    status: str = ""


@dataclass(frozen=True)
class Receipt:
    id: uuid.UUID
    outcome: str
    message: str
    cell: dict | None  # the cell as it now stands, for the phone's roster

    def as_json(self):
        return {
            "id": str(self.id),
            "outcome": self.outcome,
            "message": self.message,
            "cell": self.cell,
        }


@dataclass(frozen=True)
class _Change:
    """A change of a cell on the server that the phone did not know of."""

    status: str
    at: datetime.datetime
    by: object  # the user, or None


@transaction.atomic
def receive(*, event, marks, by):
    """Take a phone's marks in the order they were made; one receipt each."""
    event = services.lock_event(event)  # one writer of the event's attendance at a time
    taken = {
        mark.client_id: mark
        for mark in PhoneMark.objects.filter(
            event=event, client_id__in=[m.id for m in marks]
        ).select_related("registration__person", "registration__substitute", "day")
    }
    receipts = []
    for mark in sorted(marks, key=lambda m: m.made_at):
        if mark.id in taken:
            receipts.append(_repeat(taken[mark.id]))
        else:
            receipt, taken[mark.id] = _take(event, mark, by)
            receipts.append(receipt)
    return receipts


def _take(event, mark, by):
    made_at = min(mark.made_at, timezone.now())  # a clock ahead of the server's wins nothing
    log = PhoneMark(event=event, client_id=mark.id, made_at=made_at, made_by=by)
    try:
        registration, day, status = _cell_of(event, mark, made_at)
    except ValidationError as refusal:
        log.outcome = Outcome.REFUSED
        log.save()
        return Receipt(mark.id, log.outcome, refusal.messages[0], None), log
    current = (
        Attendance.objects.filter(registration=registration, day=day)
        .select_related("recorded_by")
        .first()
    )
    change = _unseen_change(current, mark, registration, day)
    if change and change.status == status:
        change = None  # both made the same mark: nothing is lost
    if change and change.at > made_at:
        log.outcome = Outcome.OUTDATED
    else:
        log.outcome = Outcome.REPLACED if change else Outcome.SAVED
        current = _write(current, registration, day, status, by, made_at)
    log.registration, log.day = registration, day
    log.save()
    message = _message(log.outcome, registration, day, status, made_at, change)
    return Receipt(mark.id, log.outcome, message, _cell(registration, day, current)), log


def _cell_of(event, mark, made_at):
    """(registration, day, status) the mark is for, or ValidationError."""
    if mark.code:
        return services.check_in_cell(event, mark.code, made_at)
    registration = (
        event.registrations.filter(pk=mark.registration, status=Registration.Status.REGISTERED)
        .select_related("person", "substitute")
        .first()
    )
    if registration is None:
        raise ValidationError(_("Peserta ini tidak terdaftar pada kegiatan ini."))
    day = event.days.filter(pk=mark.day).first()
    if day is None:
        raise ValidationError(_("Hari itu bukan hari kegiatan ini."))
    return registration, day, mark.status


def _unseen_change(current, mark, registration, day):
    """The cell's change on the server since the state the phone saw, if any."""
    if current is not None:
        if current.recorded_at == mark.seen:
            return None
        return _Change(current.status, current.recorded_at, current.recorded_by)
    if mark.seen is None:
        return None  # empty when the phone saw it, empty now
    cleared = (
        Attendance.history.filter(registration_id=registration.pk, day_id=day.pk, history_type="-")
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    if cleared is None:
        return _Change("", mark.seen, None)
    return _Change("", cleared.history_date, cleared.history_user)


def _write(current, registration, day, status, by, made_at):
    """The cell after the mark: saved one by one, so each change is in the history."""
    if not status:
        if current is not None:
            current.delete()
        return None
    if current is None:
        return Attendance.objects.create(
            registration=registration, day=day, status=status, recorded_by=by, recorded_at=made_at
        )
    if current.status != status:
        current.status, current.recorded_by, current.recorded_at = status, by, made_at
        current.save()
    return current


def _cell(registration, day, attendance):
    return {
        "registration": registration.pk,
        "day": day.pk,
        "status": attendance.status if attendance else "",
        "at": attendance.recorded_at.isoformat() if attendance else None,
    }


def _day_label(day):
    return date_format(day.date, "D j M")


def _status_label(status):
    return Attendance.Status(status).label if status else _("kosong")


def _name_of(user):
    if user is None:
        return _("orang lain")
    return user.get_full_name() or user.username


def _time(moment):
    return date_format(timezone.localtime(moment), "H:i")


def _message(outcome, registration, day, status, made_at, change):
    values = {
        "name": registration.attendee.name,
        "day": _day_label(day),
        "status": _status_label(status),
        "mine": _time(made_at),
    }
    if change:
        values |= {
            "theirs": _status_label(change.status),
            "who": _name_of(change.by),
            "at": _time(change.at),
        }
    if outcome == Outcome.OUTDATED:
        return (
            _(
                "%(name)s, %(day)s: tetap %(theirs)s. %(who)s mengubahnya pukul %(at)s, "
                "sesudah tanda Anda (%(status)s, pukul %(mine)s)."
            )
            % values
        )
    if outcome == Outcome.REPLACED:
        return (
            _(
                "%(name)s, %(day)s: %(status)s. Menggantikan %(theirs)s dari %(who)s "
                "(pukul %(at)s), yang lebih awal daripada tanda Anda (pukul %(mine)s)."
            )
            % values
        )
    return _("%(name)s, %(day)s: %(status)s.") % values


def _repeat(earlier):
    """The receipt of a mark sent again: nothing recorded, the cell as it stands."""
    registration, day = earlier.registration, earlier.day
    if registration is None or day is None:
        return Receipt(earlier.client_id, REPEATED, _("Tanda ini sudah diterima sebelumnya."), None)
    current = Attendance.objects.filter(registration=registration, day=day).first()
    message = _("%(name)s, %(day)s: sudah diterima sebelumnya.") % {
        "name": registration.attendee.name,
        "day": _day_label(day),
    }
    return Receipt(earlier.client_id, REPEATED, message, _cell(registration, day, current))
