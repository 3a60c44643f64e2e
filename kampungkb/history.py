"""Readable change history from django-simple-history records."""

from dataclasses import dataclass

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


def _readable(value, labels):
    """A value as a person reads it: a choice by its label, a list (a JSON field of
    several choices) item by item."""
    if isinstance(value, list):
        return ", ".join(str(_readable(item, labels)) for item in value)
    return labels.get(value, value)


def _change(field, old, new):
    """A change as a person reads it: the field's name and, for choices, their labels."""
    labels = dict(field.flatchoices) if field.choices else {}
    return Change(field.verbose_name, _readable(old, labels), _readable(new, labels))


def history_rows(history_queryset, limit=10):
    """The newest `limit` changes, each diffed against the record before it.

    One query: the record before each is the next one in the same fetched list.
    """
    records = list(history_queryset.select_related("history_user")[: limit + 1])
    if not records:  # rows written in bulk (imports, synthetic data) have none
        return []
    rows = []
    for record, older in zip(records, records[1:] + [None], strict=True):
        changes = []
        if older is not None and record.history_type == "~":
            model = record.instance_type
            changes = [
                _change(model._meta.get_field(c.field), c.old, c.new)
                for c in record.diff_against(older).changes
                if c.field not in HIDDEN_FIELDS
            ]
        rows.append(
            HistoryRow(
                record.history_date,
                record.history_user,
                CHANGE_TYPES[record.history_type],
                record.history_change_reason or "",
                changes,
            )
        )
    return rows[:limit]
