"""The programme figures of the dashboard, counted live over the user's area."""

from dataclasses import dataclass

from django.db.models import Count

from coaching.access import needs_visible_to, plans_visible_to
from kampungkb.months import previous_month
from training.access import events_visible_to

#: The agencies the dashboard names, those with most overdue needs first.
OVERDUE_AGENCIES = 10


@dataclass(frozen=True)
class ProgrammeFigures:
    upcoming_events: int
    visits_due: int
    missed_last_month: int
    open_needs: int
    #: [{"agency": id, "agency__abbreviation": …, "n": overdue open needs}]
    overdue_by_agency: list


def programme_figures(user, today):
    """What is coming and what is late in the user's area on `today`."""
    this_month = today.replace(day=1)
    unvisited = plans_visible_to(user).filter(visit__isnull=True)
    open_needs = needs_visible_to(user).open()
    overdue = (
        open_needs.filter(due_date__lt=today, agency__isnull=False)
        .values("agency", "agency__abbreviation")
        .annotate(n=Count("id"))
        .order_by("-n", "agency__abbreviation")
    )
    return ProgrammeFigures(
        upcoming_events=events_visible_to(user).filter(days__date__gte=today).distinct().count(),
        visits_due=unvisited.filter(month=this_month).count(),
        missed_last_month=unvisited.filter(month=previous_month(this_month)).count(),
        open_needs=open_needs.count(),
        overdue_by_agency=list(overdue[:OVERDUE_AGENCIES]),
    )
