"""WhatsApp messages of a village for its lurah, and of an agency's follow-ups."""

from django.utils import formats, translation
from django.utils.translation import gettext as _

from kampungkb.pdf import indonesian_date
from kampungkb.share import message

from .models import Level


@translation.override("id")  # for the group chat, whatever the UI language
def village_summary(village, assessment, last_visit, open_needs):
    """The level and what is still missing, the last visit, the open needs."""
    level = Level(village.level)
    # The way up leads from the level the data gives; an override has no such path.
    way_up = assessment.classification.way_up() if level == assessment.computed_level else None
    month = assessment.snapshot.month if assessment.snapshot else None
    return message(
        [
            _("*%(village)s* — ringkasan") % {"village": village.name},
            _("Profil bulan %(month)s") % {"month": indonesian_date(month, "F Y")}
            if month
            else None,
            _("Klasifikasi: %(level)s") % {"level": level.label},
            _("Untuk naik ke %(next)s:") % {"next": way_up.level.label} if way_up else None,
            *(
                _("- indeks %(index)s kurang %(points)s skor, mis. %(hint)s")
                % {"index": label, "points": points, "hint": hints[0]}
                for label, points, hints in (way_up.steps if way_up else [])
            ),
            _("Kunjungan terakhir: %(date)s (%(status)s)")
            % {"date": indonesian_date(last_visit.date), "status": last_visit.get_status_display()}
            if last_visit
            else _("Belum ada kunjungan pembinaan."),
            _("Kebutuhan yang masih terbuka:") if open_needs else _("Tidak ada kebutuhan terbuka."),
        ],
        [
            f"- {need.get_category_display()}: {need.description}"
            + (f" ({need.agency.abbreviation})" if need.agency else "")
            for need in open_needs
        ],
    )


@translation.override("id")  # for the group chat, whatever the UI language
def agency_follow_up(agency, needs):
    """The open needs assigned to the agency, with due dates and villages."""
    return message(
        [
            _("*Tindak lanjut %(agency)s*") % {"agency": agency.name},
            _("Kebutuhan Kampung KB yang ditugaskan dan masih terbuka:")
            if needs
            else _("Tidak ada kebutuhan terbuka yang ditugaskan."),
        ],
        [
            f"- {need.kampung.name}: {need.description}"
            + (
                _(" (tenggat %(date)s)") % {"date": formats.date_format(need.due_date, "j M Y")}
                if need.due_date
                else ""
            )
            for need in needs
        ],
    )
