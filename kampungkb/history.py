"""Readable change history from django-simple-history records."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}
PER_PAGE = 20
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
    subject: str = ""  # which record, on a page that shows several


def _related_names(changes):
    """{model: {id: record}} of the records that changed foreign keys point to, old
    and new: one query per related model, whatever the number of rows."""
    wanted = defaultdict(set)
    for field, old, new in changes:
        if field.is_relation:
            wanted[field.related_model].update(v for v in (old, new) if v is not None)
    return {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}


def _readable(field, value, names):
    """A value as a person reads it: a record by its name, a choice by its label, a
    yes/no in words, a list (a JSON field of several choices) item by item."""
    if value is None:
        return value
    if isinstance(value, list):  # a ChoiceListField, or JSON of plain values
        labels = getattr(field, "item_labels", {})
        return ", ".join(str(labels.get(item, item)) for item in value)
    if field.is_relation:
        return names[field.related_model].get(value, value)  # deleted since: its id
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return _("Ya") if value else _("Tidak")
    return value


@dataclass(frozen=True)
class Related:
    """The history of records that hang off the page's record (an event's
    registrations, a village's managers), and how a row names its record."""

    history: object  # a historical queryset
    subject: object  # historical record -> text


def history_rows(*sources, limit=10, offset=0):
    """The newest changes of `sources` (historical querysets, or `Related`), merged
    by time, `offset` rows in: each diffed against the record before it of the same
    object, and named by its subject where it comes from a `Related`.

    One query per source, and one more for a source whose fetched rows lack the
    record before some of them (several objects' histories interleaved).
    """
    fetched = []
    for source in sources:
        source = source if isinstance(source, Related) else Related(source, None)
        records = list(source.history.select_related("history_user")[: offset + limit + 1])
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
                    _readable(field, old, names),
                    _readable(field, new, names),
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
        number = max(int(request.GET.get("halaman", 1)), 1)
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
        candidates = list(
            history.model.objects.filter(**{f"{pk}__in": {getattr(r, pk) for r in missing}})
        )  # newest first
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
    """(field, old, new) of what `record` changed since `older`."""
    if older is None or record.history_type != "~":
        return []
    model = record.instance_type
    return [
        (model._meta.get_field(c.field), c.old, c.new)
        for c in record.diff_against(older).changes
        if c.field not in HIDDEN_FIELDS
    ]
