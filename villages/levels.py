"""The level of every Kampung KB, kept true to its data.

`KampungKB.computed_level` is stored so that lists filter and dashboards count by
it. This module is the one place that writes it: the level the national portal's
rule gives the village's latest profile and the agencies of its activities
(`classification.py`). It runs on every write of those inputs (`INPUTS`), in the
writer's transaction:

- a row saved or deleted, by a page, the admin, an import or the shell, and the
  rows a deletion cascades to (signals, `connect`);
- agencies added to or removed from an activity, from either side (`m2m_changed`);
- rows written in bulk, `QuerySet.update()` and `bulk_create()`
  (`LevelInputQuerySet`, which each input's manager uses: `connect` refuses to
  start otherwise).

A level that changes is kept in the village's history as the rule's doing (no
user, the reason `REJUDGED`), never as the edit of whoever wrote the data. Every
`migrate` judges all villages again (`judge_all`): a release that changes the rule
itself needs nothing remembered.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import signals
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_update_with_history

from kampungkb.chunks import chunked

from .classification import classify
from .models import Activity, ActivityAgency, KampungKB, LevelInputQuerySet, ProfileSnapshot

#: Every model the level is judged from, with the way from its rows to their village.
INPUTS = {
    ProfileSnapshot: "kampung",
    Activity: "kampung",
    ActivityAgency: "activity__kampung",
}
REJUDGED = gettext_noop("klasifikasi dihitung ulang dari data")


def judge(village_ids):
    """Store the level the rule gives each of these villages for its data now."""
    for chunk in chunked({pk for pk in village_ids if pk is not None}):
        latest = ProfileSnapshot.objects.filter(kampung__in=chunk).latest_by_village()
        changed = []
        for village in KampungKB.objects.filter(pk__in=chunk).with_agency_count():
            level = classify(latest.get(village.pk), village.agency_count).level
            if level != village.computed_level:
                village.computed_level = level
                village._history_user = None  # the rule's doing, whoever's request it is
                changed.append(village)
        if changed:  # the level alone: a concurrent edit of the other fields stays
            with transaction.atomic():  # the levels and their history, or neither
                bulk_update_with_history(
                    changed, KampungKB, ["computed_level"], default_change_reason=REJUDGED
                )


def judge_all(**kwargs):
    judge(list(KampungKB.objects.values_list("pk", flat=True).order_by()))


def _village_of(model, pk):
    rows = model._base_manager.filter(pk=pk).values_list(INPUTS[model], flat=True)
    return rows.first()


def _village_now(model, instance):
    path = INPUTS[model]
    if "__" in path:
        return _village_of(model, instance.pk)
    return getattr(instance, f"{path}_id")


def _before_write(sender, instance, raw=False, **kwargs):
    """The village a row belongs to before it is changed or deleted."""
    if not raw and instance.pk is not None:
        instance._level_village_before = _village_of(sender, instance.pk)


def _written_row(sender, instance, raw=False, **kwargs):
    if raw:  # restore loads the levels as they were saved
        return
    before = instance.__dict__.pop("_level_village_before", None)
    now = _village_now(sender, instance) if kwargs["signal"] is signals.post_save else None
    judge({before, now})


def _agencies_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """`activity.agencies.add(…)` and `agency.activities.remove(…)`, and the like."""
    if not reverse:
        if action.startswith("post_"):
            judge({instance.kampung_id})
        return
    if action == "pre_clear":
        instance._level_activities_before = set(instance.activities.values_list("pk", flat=True))
    elif action == "post_clear":
        pk_set = instance.__dict__.pop("_level_activities_before", set())
    if action.startswith("post_"):
        judge(Activity.objects.filter(pk__in=pk_set).values_list("kampung", flat=True))


def connect(app_config):
    signals.post_migrate.connect(judge_all, sender=app_config, weak=False)
    for model in INPUTS:
        if not isinstance(model._default_manager.all(), LevelInputQuerySet):
            raise ImproperlyConfigured(f"{model.__name__}'s manager must use LevelInputQuerySet.")
        for signal in (signals.pre_save, signals.pre_delete):
            signal.connect(_before_write, sender=model, weak=False)
        for signal in (signals.post_save, signals.post_delete):
            signal.connect(_written_row, sender=model, weak=False)
    signals.m2m_changed.connect(_agencies_changed, sender=ActivityAgency, weak=False)
