"""Who may see and change coaching plans, visits and needs. Views call these first."""

from villages.access import get_in_scope, in_area

from .models import CoachingPlan, CoachingVisit, Need


def _in_scope(model, user):
    return in_area(model.objects.all(), user, kelurahan="kampung__kelurahan")


def plans_visible_to(user):
    return _in_scope(CoachingPlan, user)


def visits_visible_to(user):
    return _in_scope(CoachingVisit, user)


def needs_visible_to(user):
    return _in_scope(Need, user)


def get_visit_for_user(user, pk, *, for_change=False):
    return get_in_scope(visits_visible_to(user), user, pk, for_change=for_change)


def get_need_for_user(user, pk, *, for_change=False):
    return get_in_scope(needs_visible_to(user), user, pk, for_change=for_change)
