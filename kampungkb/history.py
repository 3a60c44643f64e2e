"""Readable change history from django-simple-history records."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}
HIDDEN_FIELDS = {"version"}


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


def _related_names(changes):
    """{model: {id: record}} of the records that changed foreign keys point to, old
    and new: one query per related model, whatever the number of rows."""
    wanted = defaultdict(set)
    for field, old, new in changes:
        if field.is_relation:
            wanted[field.related_model].update(v for v in (old, new) if v is not None)
    return {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}


def _readable(field, value, related):
    """A value as a person reads it: a record by its name, a choice by its label, a
    yes/no in words, a list (a JSON field of several choices) item by item."""
    if value is None:
        return value
    if isinstance(value, list):  # a ChoiceListField, or JSON of plain values
        labels = getattr(field, "item_labels", {})
        return ", ".join(str(labels.get(item, item)) for item in value)
    if field.is_relation:
        return related[field.related_model].get(value, value)  # deleted since: its id
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return _("Ya") if value else _("Tidak")
    return value


def history_rows(history_queryset, limit=10):
    """The newest `limit` changes, each diffed against the record before it.

    One query, and one more per kind of record a changed foreign key points to: the
    record before each is the next one in the same fetched list.
    """
    records = list(history_queryset.select_related("history_user")[: limit + 1])
    diffs = [
        (record, _changes(record, older))
        for record, older in zip(records[:limit], [*records[1:], None], strict=False)
    ]
    related = _related_names(change for _record, changes in diffs for change in changes)
    return [
        HistoryRow(
            record.history_date,
            record.history_user,
            CHANGE_TYPES[record.history_type],
            record.history_change_reason or "",
            [
                Change(
                    field.verbose_name,
                    _readable(field, old, related),
                    _readable(field, new, related),
                )
                for field, old, new in changes
            ],
        )
        for record, changes in diffs
    ]


def _changes(record, older):
    """(field, old, new) of what `record` changed since `older`."""
    if older is None or record.history_type != "~":
        return []
    model = record.instance_type
    return [
        (model._meta.get_field(c.field), c.old, c.new)
        for c in record.diff_against(older).changes
        if c.field not in HIDDEN_FIELDS
    ]
