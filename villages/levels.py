"""The level of every Kampung KB, kept true to its data.

`KampungKB.computed_level` is stored so that lists filter and dashboards count by
it. This module is the one place that writes it, and it runs on every write of the
level's inputs, in the writer's transaction:

- a snapshot saved or deleted, by a page, the admin, an import or the shell
  (signals, `connect`);
- snapshots written in bulk, `QuerySet.update()` and `bulk_create()`
  (`ProfileSnapshotQuerySet`);
- a village moved to another city, by its own save or its kelurahan's or
  kecamatan's (`KampungKBQuerySet.follow_kelurahan`).

A village with one snapshot is judged against its city's figures of that month,
which every snapshot of the city and month makes up: so every village with a
snapshot in the cities and months written is judged again.

Every `migrate` judges all villages again (`judge_all`): a release that changes the
rule itself needs nothing remembered.
"""

from collections import defaultdict

from django.db.models import signals

from kampungkb.chunks import chunked
from kampungkb.deferred import Deferred

from .models import KampungKB, ProfileSnapshot
from .services import sum_city_figures, village_assess


def _judge_written(keys):
    """Judge again after snapshots of these (village id, month) pairs were written."""
    villages = {village for village, _month in keys}
    cities = set()
    for chunk in chunked(villages):
        cities.update(KampungKB.objects.filter(pk__in=chunk).values_list("city", flat=True))
    _judge_in(villages, cities, {month for _village, month in keys})


_written = Deferred("levels_pending", _judge_written)

#: Note snapshots written, as (village id, month) pairs: judged at once, or inside
#: `deferred()` once at its end.
snapshots_written = _written.note
deferred = _written.batch


def villages_moved(village_ids, cities):
    """Judge again after these villages moved between `cities` (the old and the new)."""
    months = set()
    for chunk in chunked(village_ids):
        rows = ProfileSnapshot.objects.filter(kampung__in=chunk).values_list("month", flat=True)
        months.update(rows.order_by().distinct())
    _judge_in(set(village_ids), cities, months)


def _judge_in(villages, cities, months):
    if months and cities:
        judged_against_city = ProfileSnapshot.objects.filter(
            kampung__city__in=cities, month__in=months
        ).values_list("kampung", flat=True)
        villages |= set(judged_against_city.order_by().distinct())
    judge(villages)


def judge(village_ids):
    """Store the level the rule gives each of these villages for its data now."""
    baselines = {}

    def baseline(city, month):  # one sum per city and month, however many villages
        if (city, month) not in baselines:
            baselines[city, month] = sum_city_figures(city, month)
        return baselines[city, month]

    for chunk in chunked(village_ids):
        snapshots = defaultdict(list)
        for snapshot in ProfileSnapshot.objects.filter(kampung__in=chunk).order_by(
            "kampung", "-month"
        ):
            snapshots[snapshot.kampung_id].append(snapshot)
        changed = defaultdict(list)
        for village in KampungKB.objects.filter(pk__in=chunk).only("city", "computed_level"):
            assessment = village_assess(village, snapshots[village.pk][:2], baseline=baseline)
            if assessment.computed_level != village.computed_level:
                changed[assessment.computed_level].append(village.pk)
        for level, pks in changed.items():
            KampungKB.objects.filter(pk__in=pks).update(computed_level=level)


def judge_all(**kwargs):
    judge(KampungKB.objects.values_list("pk", flat=True).order_by())


def _key_before_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        instance._level_key_before = (
            ProfileSnapshot.objects.filter(pk=instance.pk).values_list("kampung", "month").first()
        )


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:  # restore loads the levels as they were saved
        before = instance.__dict__.pop("_level_key_before", None)
        snapshots_written({(instance.kampung_id, instance.month), *filter(None, [before])})


def _deleted(sender, instance, **kwargs):
    snapshots_written({(instance.kampung_id, instance.month)})


def connect(app_config):
    signals.post_migrate.connect(judge_all, sender=app_config, weak=False)
    signals.pre_save.connect(_key_before_save, sender=ProfileSnapshot, weak=False)
    signals.post_save.connect(_saved, sender=ProfileSnapshot, weak=False)
    signals.post_delete.connect(_deleted, sender=ProfileSnapshot, weak=False)
