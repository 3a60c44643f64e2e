"""The programme figures of the dashboard, counted per city.

For an area of whole cities (dinas, admin) each city's figures come from the
shared cache (kampungkb/citycache.py, which lists the tables they are counted
from) and are added up, so that a national user's dashboard costs about what a
city's does; for a kecamatan the same counts run live.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from coaching.access import needs_visible_to, plans_visible_to
from coaching.models import CoachingPlan, Need
from training.access import events_visible_to
from training.models import TrainingEvent
from villages.models import Agency

from . import citycache
from .months import previous_month

#: From a coaching plan or need to its city.
CITY = "kampung__city"


@dataclass
class ProgrammeFigures:
    upcoming_events: int = 0
    visits_due: int = 0
    missed_last_month: int = 0
    open_needs: int = 0
    #: {agency id: overdue open needs}
    overdue: Counter = field(default_factory=Counter)

    def __add__(self, other):
        return ProgrammeFigures(
            self.upcoming_events + other.upcoming_events,
            self.visits_due + other.visits_due,
            self.missed_last_month + other.missed_last_month,
            self.open_needs + other.open_needs,
            self.overdue + other.overdue,
        )

    def overdue_by_agency(self, limit=10):
        """The agencies with most overdue needs, most first, with their abbreviation
        as it is now (the counts are cached, the agencies not)."""
        most = self.overdue.most_common(limit)
        agencies = Agency.objects.in_bulk([agency for agency, _n in most])
        return [{"agency": agencies[agency], "n": n} for agency, n in most]


def _by_city(queryset, city_path):
    return queryset.values_list(city_path).annotate(n=Count("id", distinct=True)).order_by()


def figures_by_city(plans, needs, events, today):
    """{city id: ProgrammeFigures} of these (already scoped) rows: five grouped queries."""
    figures = defaultdict(ProgrammeFigures)
    this_month = today.replace(day=1)
    unvisited = plans.filter(visit__isnull=True)
    open_needs = needs.open()
    for city, n in _by_city(events.filter(days__date__gte=today), "city"):
        figures[city].upcoming_events = n
    for city, n in _by_city(unvisited.filter(month=this_month), CITY):
        figures[city].visits_due = n
    for city, n in _by_city(unvisited.filter(month=previous_month(this_month)), CITY):
        figures[city].missed_last_month = n
    for city, n in _by_city(open_needs, CITY):
        figures[city].open_needs = n
    overdue = open_needs.filter(due_date__lt=today, agency__isnull=False)
    for city, agency, n in overdue.values_list(CITY, "agency").annotate(n=Count("id")).order_by():
        figures[city].overdue[agency] = n
    return figures


def _cities_figures(city_ids, today):
    figures = figures_by_city(
        CoachingPlan.objects.filter(**{f"{CITY}__in": city_ids}),
        Need.objects.filter(**{f"{CITY}__in": city_ids}),
        TrainingEvent.objects.filter(city__in=city_ids),
        today,
    )
    return {city_id: figures[city_id] for city_id in city_ids}


def programme_figures(user, today, cities):
    """The figures of the user's whole area on `today`; `cities` is whole_cities(user)."""
    if cities is not None:
        return citycache.total(
            "dashboard",
            cities,
            lambda ids: _cities_figures(ids, today),
            start=ProgrammeFigures(),
            variant=today,
        )
    parts = figures_by_city(
        plans_visible_to(user), needs_visible_to(user), events_visible_to(user), today
    )
    return sum(parts.values(), ProgrammeFigures())
