"""The change history of records: who changed what, when, as a person reads it.

Records are django-simple-history's, with two rules of ours:

- `History` keeps the many-to-many fields it is given (a visit's team, an event's
  kecamatan) with each record, and folds the changes a save makes to them right
  after the row (a form's `save_m2m`) into that save's record: one save, one record.
- The reader (`history_rows`) says what changed between a record and the one before
  it of the same object: a list of choices compared as a set, a record by its name,
  the many-to-many fields from rows read with the page (no query per record).

A save that changes nothing writes no record: the forms do not save then
(`kampungkb.forms.save_or_render`, `ChangesOnlyAdmin`).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

CHANGE_TYPES = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}
PER_PAGE = 20
HIDDEN_FIELDS = {"version"}


class History(HistoricalRecords):
    """simple-history's records; the many-to-many fields set by the save that made a
    record (a form sets them right after the row) are kept with that record instead of
    adding records of their own, and a change made from the other side (an agency
    taken off its activities) is a record of each of ours it touched."""

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if reverse:
            return self._changed_from_the_other_side(instance, action, attr, pk_set, **kwargs)
        record = instance.__dict__.get("_history_record")
        if record is None:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action in ("post_add", "post_remove", "post_clear"):
            for field in record._history_m2m_fields:
                self.m2m_models[field].objects.filter(history=record).delete()
            self.create_historical_record_m2ms(record, instance)

    def _changed_from_the_other_side(self, other, action, attr, pk_set, model, **kwargs):
        cleared = other.__dict__.setdefault("_history_cleared", {})
        if action == "pre_clear":
            cleared[attr] = set(model.objects.filter(**{attr: other}).values_list("pk", flat=True))
        elif action == "post_clear":
            pk_set = cleared.pop(attr, set())
        if action in ("post_add", "post_remove", "post_clear"):
            for ours in model.objects.filter(pk__in=pk_set):
                self.create_historical_record(ours, "~")


@receiver(post_create_historical_record)
def _remember_the_record(sender, instance, history_instance, **kwargs):
    """The record a save made, for the many-to-many changes the same save makes."""
    instance._history_record = history_instance


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class HistoryRow:
    when: object
    who: object
    what: str
    reason: str
    changes: list
    subject: str = ""  # which record, on a page that shows several


@dataclass(frozen=True)
class Related:
    """The history of records that hang off the page's record (an event's
    registrations, a village's managers), and how a row names its record."""

    history: object  # a historical queryset
    subject: object  # historical record -> text


def _m2m_rows(history_model):
    """{many-to-many field: the accessor of its rows on a historical record}."""
    return {
        field: HistoricalRecords.m2m_models[field]
        ._meta.get_field("history")
        .remote_field.get_accessor_name()
        for field in getattr(history_model, "_history_m2m_fields", [])
    }


def _m2m_ids(record, field, accessor):
    target = field.m2m_reverse_field_name()
    return {getattr(row, f"{target}_id") for row in getattr(record, accessor).all()}


def _related_names(changes):
    """{model: {id: record}} of the records that changed foreign keys and many-to-many
    fields point to, old and new: one query per related model, whatever the rows."""
    wanted = defaultdict(set)
    for field, old, new in changes:
        if field.many_to_many:
            wanted[field.related_model].update(old | new)
        elif field.is_relation:
            wanted[field.related_model].update(v for v in (old, new) if v is not None)
    return {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}


def readable(field, value, names=None):
    """A value as a person reads it: a record by its name, a choice by its label, a
    yes/no in words, a list (a JSON field of several choices) item by item."""
    if value is None:
        return value
    if field.many_to_many:
        known = (names or {}).get(field.related_model, {})
        return ", ".join(sorted(str(known.get(pk, pk)) for pk in value))
    if isinstance(value, list):  # a ChoiceListField, or JSON of plain values
        labels = getattr(field, "item_labels", {})
        return ", ".join(str(labels.get(item, item)) for item in value)
    if field.is_relation:
        return (names or {}).get(field.related_model, {}).get(value, value)  # deleted: its id
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return _("Ya") if value else _("Tidak")
    return value


def _fetched(history, limit):
    m2m = _m2m_rows(history.model)
    return list(history.select_related("history_user").prefetch_related(*m2m.values())[:limit])


def history_rows(*sources, limit=10, offset=0):
    """The newest changes of `sources` (historical querysets, or `Related`), merged
    by time, `offset` rows in: each diffed against the record before it of the same
    object, and named by its subject where it comes from a `Related`.

    One query per source (and per many-to-many field it keeps), and one more for a
    source whose fetched rows lack the record before some of them (several objects'
    histories interleaved).
    """
    fetched = []
    for source in sources:
        source = source if isinstance(source, Related) else Related(source, None)
        records = _fetched(source.history, offset + limit + 1)
        older = _older_records(source.history, records, offset + limit)
        fetched += [(record, older.get(record.history_id), source.subject) for record in records]
    fetched.sort(key=lambda row: (row[0].history_date, row[0].history_id), reverse=True)
    page = [
        (record, _changes(record, older), subject)
        for record, older, subject in fetched[offset : offset + limit]
    ]
    names = _related_names(change for _record, changes, _subject in page for change in changes)
    return [
        HistoryRow(
            record.history_date,
            record.history_user,
            CHANGE_TYPES[record.history_type],
            # Reasons the app writes are kept in Indonesian and shown in the reader's
            # language; a reason a person typed finds no translation and stays as typed.
            gettext(record.history_change_reason) if record.history_change_reason else "",
            [
                Change(
                    field.verbose_name,
                    readable(field, old, names),
                    readable(field, new, names),
                )
                for field, old, new in changes
            ],
            subject(record) if subject else "",
        )
        for record, changes, subject in page
    ]


def history_page(request, record, *related):
    """The page of `record`'s full history and what hangs off it (`related`): one
    page (`?halaman=`) at a time, newest first."""
    try:
        number = min(max(int(request.GET.get("halaman", 1)), 1), 10_000)
    except ValueError:
        number = 1
    rows = history_rows(
        record.history.all(), *related, limit=PER_PAGE + 1, offset=(number - 1) * PER_PAGE
    )
    context = {
        "title": _("Riwayat: %(record)s") % {"record": record},
        "back": record.get_absolute_url(),
        "records": rows[:PER_PAGE],
        "page_number": number,
        "has_older": len(rows) > PER_PAGE,
    }
    return render(request, "history_page.html", context)


def _older_records(history, records, wanted):
    """{history id: the record before it of the same object} for the first `wanted`
    of `records` (newest first). Most come from the fetched list itself; those whose
    predecessor lies beyond it come from one more query."""
    pk = history.model.instance_type._meta.pk.attname
    older, last_seen = {}, {}
    for record in reversed(records):  # oldest first
        if getattr(record, pk) in last_seen:
            older[record.history_id] = last_seen[getattr(record, pk)]
        last_seen[getattr(record, pk)] = record
    missing = [r for r in records[:wanted] if r.history_id not in older and r.history_type == "~"]
    if missing:
        earlier = history.model.objects.filter(**{f"{pk}__in": {getattr(r, pk) for r in missing}})
        candidates = _fetched(earlier, None)  # newest first
        for record in missing:
            older[record.history_id] = next(
                (
                    c
                    for c in candidates
                    if getattr(c, pk) == getattr(record, pk)
                    and (c.history_date, c.history_id) < (record.history_date, record.history_id)
                ),
                None,
            )
    return older


def _changes(record, older):
    """(field, old, new) of what `record` changed since `older`: a list of choices
    compared as a set, many-to-many fields as sets of their keys."""
    if older is None or record.history_type != "~":
        return []
    model = record.instance_type
    m2m = _m2m_rows(type(record))
    plain = [
        (model._meta.get_field(c.field), c.old, c.new)
        for c in record.diff_against(older, excluded_fields=[f.name for f in m2m]).changes
        if c.field not in HIDDEN_FIELDS
    ]
    plain = [
        (field, old, new)
        for field, old, new in plain
        if not (isinstance(old, list) and isinstance(new, list) and set(old) == set(new))
    ]
    many = [
        (field, _m2m_ids(older, field, accessor), _m2m_ids(record, field, accessor))
        for field, accessor in m2m.items()
    ]
    return plain + [(field, old, new) for field, old, new in many if old != new]
