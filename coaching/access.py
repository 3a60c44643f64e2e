"""Who may see and change coaching plans, visits and needs. Views call these first."""

from django.shortcuts import get_object_or_404

from accounts.roles import visible_kelurahan
from villages.access import require_editor

from .models import CoachingPlan, CoachingVisit, Need


def _in_scope(model, user):
    return model.objects.filter(kampung__kelurahan__in=visible_kelurahan(user))


def plans_visible_to(user):
    return _in_scope(CoachingPlan, user)


def visits_visible_to(user):
    return _in_scope(CoachingVisit, user)


def needs_visible_to(user):
    return _in_scope(Need, user)


def get_visit_for_user(user, pk, *, for_change=False):
    visit = get_object_or_404(visits_visible_to(user), pk=pk)
    if for_change:
        require_editor(user)
    return visit


def get_need_for_user(user, pk, *, for_change=False):
    need = get_object_or_404(needs_visible_to(user), pk=pk)
    if for_change:
        require_editor(user)
    return need
