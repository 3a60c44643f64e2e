"""WhatsApp messages of an event: the invitation, and a day's attendance recap."""

from django.utils import translation
from django.utils.translation import gettext as _

from kampungkb.pdf import indonesian_date
from kampungkb.share import message

from .models import Attendance, Registration


@translation.override("id")  # for the group chat, whatever the UI language
def invitation(event, days, districts, link):
    """The invitation for a WhatsApp group: when (each day with its hours), where,
    who is invited, whom to call, and the event's page."""
    when = [
        _("%(date)s, pukul %(hours)s") % {"date": indonesian_date(day.date), "hours": day.hours()}
        for day in days
    ] or [_("(tanggal menyusul)")]
    invited = ", ".join(d.name for d in districts)
    contact = " ".join(part for part in (event.contact_name, event.contact_phone) if part)
    return message(
        [
            _("*Undangan: %(title)s*") % {"title": event.title},
            _("Hari/tanggal: %(when)s") % {"when": "; ".join(when)},
            _("Tempat: %(venue)s") % {"venue": event.venue},
            _("Peserta: %(who)s") % {"who": invited} if invited else None,
            _("Penyelenggara: %(organiser)s") % {"organiser": event.organiser.name},
            _("Narahubung: %(contact)s") % {"contact": contact} if contact else None,
            link,
        ]
    )


@translation.override("id")  # for the group chat, whatever the UI language
def day_recap(event, day, seated, marks):
    """Present per category, and the names of those absent, for the committee group:
    of `seated` (who sits in the room, `RegistrationQuerySet.in_the_room`), with
    `marks` {(registration id, day id): status}, as the attendance grid holds them."""
    present, absent = {}, []
    for registration in seated:
        if marks.get((registration.pk, day.pk)) in Attendance.PRESENT_STATUSES:
            present[registration.category] = present.get(registration.category, 0) + 1
        else:
            absent.append(registration.attendee.name)
    counts = [
        f"- {label}: {present[value]}"
        for value, label in Registration.Category.choices
        if value in present
    ]
    return message(
        [
            _("*Rekap kehadiran %(title)s*") % {"title": event.title},
            indonesian_date(day.date),
            _("Hadir: %(n)d dari %(total)d") % {"n": sum(present.values()), "total": len(seated)},
            *counts,
            _("Belum hadir:") if absent else _("Semua peserta hadir."),
        ],
        [f"- {name}" for name in sorted(absent)],
    )
