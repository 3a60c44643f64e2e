"""The level of every Kampung KB, kept true to its data.

`KampungKB.computed_level` is stored so that lists filter and dashboards count by
it. This module is the one place that writes it: the level the national portal's
rule gives the village's latest profile (`classification.py`). It runs on every
write of a profile, in the writer's transaction:

- a snapshot saved or deleted, by a page, the admin, an import or the shell
  (signals, `connect`);
- snapshots written in bulk, `QuerySet.update()` and `bulk_create()`
  (`ProfileSnapshotQuerySet`).

Every `migrate` judges all villages again (`judge_all`): a release that changes the
rule itself needs nothing remembered.
"""

from collections import defaultdict

from django.db.models import signals

from kampungkb.chunks import chunked
from kampungkb.deferred import Deferred

from .classification import classify
from .models import KampungKB, ProfileSnapshot


def judge(village_ids):
    """Store the level the rule gives each of these villages for its data now."""
    for chunk in chunked(village_ids):
        latest = {}
        for snapshot in ProfileSnapshot.objects.filter(kampung__in=chunk).order_by(
            "kampung", "-month"
        ):
            latest.setdefault(snapshot.kampung_id, snapshot)
        changed = defaultdict(list)
        for village in KampungKB.objects.filter(pk__in=chunk).only("computed_level"):
            level = classify(latest.get(village.pk)).level
            if level != village.computed_level:
                changed[level].append(village.pk)
        for level, pks in changed.items():
            KampungKB.objects.filter(pk__in=pks).update(computed_level=level)


_written = Deferred("levels_pending", judge)

#: Note the villages whose profiles were written: judged at once, or inside
#: `deferred()` once at its end.
profiles_written = _written.note
deferred = _written.batch


def judge_all(**kwargs):
    judge(KampungKB.objects.values_list("pk", flat=True).order_by())


def _village_before_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        instance._level_village_before = (
            ProfileSnapshot.objects.filter(pk=instance.pk).values_list("kampung", flat=True).first()
        )


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:  # restore loads the levels as they were saved
        before = instance.__dict__.pop("_level_village_before", None)
        profiles_written({instance.kampung_id, *filter(None, [before])})


def _deleted(sender, instance, **kwargs):
    profiles_written({instance.kampung_id})


def connect(app_config):
    signals.post_migrate.connect(judge_all, sender=app_config, weak=False)
    signals.pre_save.connect(_village_before_save, sender=ProfileSnapshot, weak=False)
    signals.post_save.connect(_saved, sender=ProfileSnapshot, weak=False)
    signals.post_delete.connect(_deleted, sender=ProfileSnapshot, weak=False)
