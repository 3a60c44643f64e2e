"""Training workflows: each runs in one transaction and locks the event it changes,
so that two officers registering at once cannot overfill it."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from villages.models import KampungKB, Manager, PokjaMember

from .models import Attendance, EventDay, Registration, TrainingEvent, new_certificate_code

Status = Registration.Status


def lock_event(event):
    """The event, locked until the transaction ends: its writers take turns."""
    return TrainingEvent.objects.select_for_update().get(pk=event.pk)


def seats_taken(event):
    return event.seated().count()


def _new_status(event, category):
    if category not in Registration.SEATED or seats_taken(event) < event.capacity:
        return Status.REGISTERED
    return Status.WAITLISTED


@transaction.atomic
def registration_create(*, event, person, category, **unit):
    """Register a person for a unit (`kampung`, `kelurahan`, `district` or `agency`);
    over capacity they go to the waitlist."""
    event = lock_event(event)
    registration = Registration(
        event=event, person=person, category=category, status=_new_status(event, category), **unit
    )
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def registration_create_walk_in(*, event, newcomer, category, **unit):
    """Save `newcomer`, a person not yet in the data, and register them: both or
    neither."""
    newcomer.full_clean()
    newcomer.save()
    return registration_create(event=event, person=newcomer, category=category, **unit)


def door_matches(people, event, query):
    """Up to 20 of `people` whose name holds `query`, each with `registered`: whether
    they already hold a registration of `event` that is not cancelled."""
    if not query.strip():
        return []
    registered = event.registrations.exclude(status=Status.CANCELLED).filter(person=OuterRef("pk"))
    return list(
        people.filter(name__icontains=query.strip())
        .annotate(registered=Exists(registered))
        .select_related("kelurahan")
        .order_by("name")[:20]
    )


@transaction.atomic
def registration_cancel(*, registration):
    """Cancel; the first on the waitlist takes the freed seat. Returns who moved up."""
    event = lock_event(registration.event)
    registration.refresh_from_db()
    held_seat = registration.status == Status.REGISTERED and registration.takes_seat
    registration.status = Status.CANCELLED
    registration._change_reason = gettext_noop("dibatalkan")
    registration.full_clean()
    registration.save()
    if not held_seat:
        return None
    first_waiting = (
        event.registrations.filter(status=Status.WAITLISTED).order_by("registered_at", "id").first()
    )
    if first_waiting:
        first_waiting.status = Status.REGISTERED
        first_waiting._change_reason = gettext_noop("naik dari daftar tunggu")
        first_waiting.save()
    return first_waiting


@transaction.atomic
def registration_substitute(*, registration, substitute):
    """Someone attends in the registered person's place; both stay on record."""
    if substitute == registration.person:
        raise ValidationError({"substitute": _("Pengganti harus orang lain.")})
    already = (
        registration.event.registrations.exclude(status=Status.CANCELLED)
        .filter(Q(person=substitute) | Q(substitute=substitute))
        .exclude(pk=registration.pk)
    )
    if already.exists():
        raise ValidationError({"substitute": _("Orang ini sudah terdaftar pada kegiatan ini.")})
    registration.substitute = substitute
    registration._change_reason = gettext_noop("diwakilkan")
    registration.full_clean()
    registration.save()
    return registration


@dataclass(frozen=True)
class BulkResult:
    added: int
    waitlisted: int
    skipped: int


def _register_many(event, candidates, category):
    """candidates: (person, kampung, agency) tuples; people already registered are skipped."""
    event = lock_event(event)
    event.ensure_open_to_registrations()  # what Registration.clean checks, for a bulk insert
    taken = set(
        event.registrations.exclude(status=Status.CANCELLED).values_list("person_id", flat=True)
    )
    free = event.capacity - seats_taken(event)
    new, seen = [], set()
    for person, kampung, agency in candidates:
        if person.pk in taken or person.pk in seen:
            continue
        seen.add(person.pk)
        status = (
            Status.REGISTERED
            if category not in Registration.SEATED or free > 0
            else (Status.WAITLISTED)
        )
        free -= status == Status.REGISTERED and category in Registration.SEATED
        new.append(
            Registration(
                event=event,
                person=person,
                category=category,
                kampung=kampung,
                agency=agency,
                status=status,
            )
        )
    bulk_create_with_history(new, Registration)
    waitlisted = sum(r.status == Status.WAITLISTED for r in new)
    return BulkResult(len(new) - waitlisted, waitlisted, len(candidates) - len(new))


@transaction.atomic
def registrations_bulk_managers(*, event, districts):
    """Register every current manager of the active Kampung KB in these kecamatan."""
    managers = (
        Manager.objects.filter(
            end_date__isnull=True,
            kampung__status="aktif",
            kampung__kelurahan__district__in=districts,
        )
        .select_related("person", "kampung")
        .order_by("kampung__name", "role", "id")
    )
    return _register_many(
        event, [(m.person, m.kampung, None) for m in managers], Registration.Category.PENGELOLA
    )


@transaction.atomic
def registrations_bulk_pokja(*, event, pokja_list):
    """Register every current member of these Pokja, with the agency they sit for."""
    members = (
        PokjaMember.objects.filter(pokja__in=pokja_list, term_end__isnull=True)
        .select_related("person", "agency", "pokja")
        .order_by("pokja_id", "id")
    )
    return _register_many(
        event, [(m.person, None, m.agency) for m in members], Registration.Category.POKJA
    )


@transaction.atomic
def event_set_days(*, event, first_day, last_day, hours=None):
    """Make the event's days exactly first_day..last_day; a day with attendance stays.
    `hours` (start, end) become every day's times; without them a new day takes the
    times of the event's first day."""
    wanted = {
        first_day + datetime.timedelta(days=n) for n in range((last_day - first_day).days + 1)
    }
    existing = {day.date: day for day in event.days.all()}
    dropping = [day for date, day in existing.items() if date not in wanted]
    if any(day.attendance.exists() for day in dropping):
        raise ValidationError(_("Hari yang sudah berisi kehadiran tidak dapat dihapus."))
    EventDay.objects.filter(pk__in=[d.pk for d in dropping]).delete()
    if hours:
        _set_hours([day for day in existing.values() if day not in dropping], *hours)
    else:
        hours = event_hours(event)
    bulk_create_with_history(
        [
            EventDay(event=event, date=date, start_time=hours[0], end_time=hours[1])
            for date in sorted(wanted - set(existing))
        ],
        EventDay,
    )


def _set_hours(days, start, end):
    changed = [day for day in days if (day.start_time, day.end_time) != (start, end)]
    for day in changed:
        day.start_time, day.end_time = start, end
    bulk_update_with_history(changed, EventDay, ["start_time", "end_time"])


def event_hours(event):
    """(start, end) of the event's first day, or of a day as the model has it."""
    first = event.days.first() or EventDay()
    return first.start_time, first.end_time


@transaction.atomic
def event_copy_as_next_phase(*, event, districts, first_day, last_day, code, title=None):
    """The next phase of a programme: same event, other kecamatan, new days, no people."""
    copy = TrainingEvent.objects.get(pk=event.pk)
    copy.pk = copy.id = None
    copy.code = code
    copy.title = title or event.next_phase_title()
    copy.version = 0
    copy.phase = event.next_phase
    copy.programme = event.programme or event.title
    copy.status = TrainingEvent.Status.DRAFT
    copy.full_clean()
    copy.save()
    copy.target_districts.set(districts)
    event_set_days(event=copy, first_day=first_day, last_day=last_day, hours=event_hours(event))
    return copy


def daftar_hadir(event):
    """Who sits in the room, as an SPJ list reads: by category in their order, and
    alphabetically by the name printed within each (the substitute's, where one
    stood in)."""
    order = {category: index for index, category in enumerate(Registration.Category)}
    return sorted(event.registrations.in_the_room(), key=lambda r: order[r.category])


def attendance_grid(days):
    """{(registration id, day id): status} on `days` (of one event)."""
    cells = Attendance.objects.filter(day__in=days)
    return {
        (registration, day): status
        for registration, day, status in cells.values_list("registration", "day", "status")
    }


@transaction.atomic
def attendance_save_grid(*, event, marks, by):
    """Save a whole grid in a handful of queries, whatever its size.

    `marks` maps (registration id, day id) to a status, or "" to clear the cell.
    Cells outside the event's registered participants and days are refused. Two
    officers saving at once are taken one after the other: each cell ends as the
    later save put it, and both saves are in its history.
    """
    event = lock_event(event)
    valid_days = set(event.days.values_list("pk", flat=True))
    valid_regs = set(
        event.registrations.filter(status=Status.REGISTERED).values_list("pk", flat=True)
    )
    if any(reg not in valid_regs or day not in valid_days for reg, day in marks):
        raise ValidationError(
            _(
                "Kehadiran hanya untuk peserta terdaftar pada hari kegiatan; "
                "tidak ada yang disimpan."
            )
        )
    existing = {
        (a.registration_id, a.day_id): a for a in Attendance.objects.filter(day__event=event)
    }
    now = timezone.now()
    create, update, delete = [], [], []
    for key, status in marks.items():
        record = existing.get(key)
        if not status:
            if record:
                delete.append(record.pk)
        elif record is None:
            create.append(
                Attendance(
                    registration_id=key[0],
                    day_id=key[1],
                    status=status,
                    recorded_by=by,
                    recorded_at=now,
                )
            )
        elif record.status != status:
            record.status, record.recorded_by, record.recorded_at = status, by, now
            update.append(record)
    if delete:
        Attendance.objects.filter(pk__in=delete).delete()
    if create:
        bulk_create_with_history(create, Attendance, default_user=by)
    if update:
        bulk_update_with_history(
            update, Attendance, ["status", "recorded_by", "recorded_at"], default_user=by
        )
    return len(create) + len(update) + len(delete)


#: A participant who checks in after this is marked late.


def check_in_cell(event, code, at):
    """The cell a card code checks in at a moment: (registration, day, status),
    present, or late past the day's grace (`EventDay.on_time_until`). Refused when
    the moment is not on a day of the event or the code is not a registered
    participant's."""
    local = timezone.localtime(at)
    day = event.days.filter(date=local.date()).first()
    if day is None:
        raise ValidationError(_("Hari ini bukan hari kegiatan ini."))
    registration = (
        event.registrations.filter(checkin_code=code.strip().upper(), status=Status.REGISTERED)
        .select_related("person", "substitute")
        .first()
    )
    if registration is None:
        raise ValidationError(
            _("Kode %(code)s tidak terdaftar pada kegiatan ini.") % {"code": code}
        )
    late = local.time() > day.on_time_until
    return registration, day, Attendance.Status.LATE if late else Attendance.Status.PRESENT


@transaction.atomic
def attendance_check_in(*, event, code, by, at=None):
    """Mark the participant with this card code present now (or late)."""
    at = at or timezone.now()
    event = lock_event(event)  # one writer of the event's attendance at a time
    registration, day, status = check_in_cell(event, code, at)
    attendance, _created = Attendance.objects.update_or_create(
        registration=registration,
        day=day,
        defaults={"status": status, "recorded_by": by, "recorded_at": at},
    )
    return attendance


@transaction.atomic
def certificates_issue(*, event):
    """Number a certificate for every registered participant present on as many days
    as the event's rule asks (`TrainingEvent.days_for_certificate`).

    Numbers run on from the highest already issued for the event, by name order.
    """
    event = lock_event(event)
    present = Q(attendance__status__in=Attendance.PRESENT_STATUSES)
    needed = event.days_for_certificate(event.days.count())
    waiting = (
        event.registrations.filter(status=Status.REGISTERED, certificate_number__isnull=True)
        .annotate(days_present=Count("attendance", filter=present))
        .filter(days_present__gte=max(needed, 1))
        .select_related("person", "substitute")
        .order_by("person__name", "id")
    )
    sequence = _last_certificate_sequence(event)
    first_day = event.days.aggregate(first=Min("date"))["first"] or timezone.localdate()
    batch = []
    for registration in waiting:
        sequence += 1
        registration.certificate_number = f"{sequence:03d}/KKB/{event.code}/{first_day.year}"
        registration.certificate_code = new_certificate_code()
        batch.append(registration)
    bulk_update_with_history(batch, Registration, ["certificate_number", "certificate_code"])
    return len(batch)


def _last_certificate_sequence(event):
    """The highest sequence ever issued for the event, as its history keeps them
    (cancelled and deleted registrations included): a number, once printed, is
    never given to anyone else."""
    issued = (
        Registration.history.filter(event_id=event.pk)
        .exclude(certificate_number=None)
        .values_list("certificate_number", flat=True)
    )
    sequences = (re.match(r"\d+", number) for number in issued)
    return max((int(match[0]) for match in sequences if match), default=0)


def category_summary(event):
    """Participants per category: registered, waitlisted and present on each day.

    Two queries. Returns the days, the rows of participant categories, their total,
    and the rows of speakers and committee, who are not counted as participants.
    """
    days = list(event.days.all())
    counts = {
        row["category"]: row
        for row in event.registrations.values("category").annotate(
            registered=Count("id", filter=Q(status=Status.REGISTERED)),
            waitlisted=Count("id", filter=Q(status=Status.WAITLISTED)),
        )
    }
    present = {
        (row["registration__category"], row["day"]): row["n"]
        for row in Attendance.objects.filter(
            day__event=event,
            status__in=Attendance.PRESENT_STATUSES,
            registration__status=Status.REGISTERED,
        )
        .values("registration__category", "day")
        .annotate(n=Count("id"))
    }

    def row(category):
        count = counts.get(category.value, {})
        return SummaryRow(
            category.label,
            count.get("registered", 0),
            count.get("waitlisted", 0),
            [present.get((category.value, day.pk), 0) for day in days],
        )

    listed = [c for c in Registration.Category if c.value in counts]
    participants = [row(c) for c in listed if c in Registration.SEATED]
    total = SummaryRow(
        _("Jumlah peserta"),
        sum(r.registered for r in participants),
        sum(r.waitlisted for r in participants),
        [sum(r.present[i] for r in participants) for i in range(len(days))],
    )
    others = [row(c) for c in listed if c not in Registration.SEATED]
    return days, participants, total, others


@dataclass(frozen=True)
class SummaryRow:
    label: str
    registered: int
    waitlisted: int
    present: list


def event_villages(event):
    """The villages an event concerns: those its participants came for, by name or
    by their kelurahan (a lurah, a kelurahan Pokja)."""
    came = event.registrations.exclude(status=Status.CANCELLED)
    return KampungKB.objects.filter(
        Q(pk__in=came.values("kampung")) | Q(kelurahan__in=came.values("kelurahan"))
    )


def event_activity_initial(event):
    """What an event already says of a village's activity record of it."""
    first_day = event.days.order_by("date").first()
    return {
        "title": event.title,
        "date": first_day.date if first_day else None,
        "place": event.venue,
        "description": event.programme,
        "agencies": [event.organiser_id],
    }


@transaction.atomic
def link_event_activity(event, activity):
    """Link a village's activity record to the event: one per village."""
    event = lock_event(event)
    if event.activities.filter(kampung=activity.kampung_id).exclude(pk=activity.pk).exists():
        raise ValidationError(_("Pelatihan ini sudah dicatat sebagai kegiatan kampung ini."))
    event.activities.add(activity)
