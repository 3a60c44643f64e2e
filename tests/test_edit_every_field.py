"""Every field of every record with a change form and a history, changed through
its form one at a time: the record's page still answers 200 to dinas and admin,
and its history names the field.

The new value of each field is made from the form field itself (another choice, a
later date, the choices of a multi-choice field in a new order), so a field added
to a form is changed here without anyone adding it to the test.
"""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils.text import capfirst

from coaching.models import CoachingVisit
from kampungkb.history import history_rows
from villages.models import Person

from .factories import make_event, make_person
from .forms import page_form_data

#: Text fields whose validators want a shape of their own.
SHAPED_TEXT = {
    "code": "KODE-BARU-2",
    "nik": "6171054101900009",
    "phone": "081233334444",
    "contact_phone": "081233335555",
    "signatory_nip": "197001012000031001",
}
#: Numbers with a range of their own (a point in Indonesia).
SHAPED_NUMBERS = {"latitude": "-0.5", "longitude": "109.5"}


def changed_value(name, bound):
    """A value for the form field `bound` other than the one it shows."""
    field, current = bound.field, bound.value()
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        values = [str(value) for value, _label in field.choices if str(value)]
        return values[::-1]  # every choice, in a new order
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        others = [
            str(value) for value, _label in field.choices if str(value) not in ("", str(current))
        ]
        return others[0] if others else None
    if isinstance(field, forms.BooleanField):
        return "" if current else "on"
    if isinstance(field, forms.DateField):  # a day earlier: never past a "last day"
        start = current or datetime.date(2020, 1, 2)
        if isinstance(start, str):
            start = datetime.date.fromisoformat(start)
        return (start - datetime.timedelta(days=1)).isoformat()
    if isinstance(field, forms.TimeField):  # an hour earlier: never past the end
        start = current if isinstance(current, datetime.time) else datetime.time(9)
        return f"{start.hour - 1:02d}:{start.minute:02d}"
    if name in SHAPED_NUMBERS:
        return SHAPED_NUMBERS[name]
    if isinstance(field, forms.DecimalField):
        return str((Decimal(current) if current not in (None, "") else Decimal(1)) + Decimal("0.5"))
    if isinstance(field, forms.IntegerField):
        return str(int(current or 0) + 1)
    if isinstance(field, forms.CharField):
        return SHAPED_TEXT.get(name, f"Diubah: {name}")[: field.max_length]
    raise AssertionError(f"no changed value for {name} ({type(field).__name__})")


def readable(field, posted):
    """How the history must name a posted value: records by name, choices and
    yes/no in words (None: shown as posted)."""
    if field.is_relation:
        return str(field.related_model.objects.get(pk=posted))
    if field.choices:
        return str(dict(field.flatchoices)[field.to_python(posted)])
    if hasattr(field, "item_labels"):  # kept in the order of the choices
        return ", ".join(str(field.item_labels[item]) for item in field.in_order(posted))
    return None


def village(world):
    return world["village"], "villages:edit", "overview:village"


def person(world):
    return world["person"], "villages:person_edit", "overview:person"


def event(world):
    return world["event"], "training:edit", "training:detail"


def visit(world):
    return world["visit"], "coaching:visit_edit", "coaching:visit"


#: Fields that cannot take another value here, and why.
FIXED = {
    "city": "the dinas officer's area is one city",
    "kampung": "a visit belongs to the village it was opened from",
    "version": "the form's own guard against stale edits",
}


@pytest.fixture
def world(village_sungaibangkong, dinas):
    village = village_sungaibangkong
    village.location_criteria = ["kumuh", "pesisir"]
    village.save()
    team = make_person(name="Petugas PKB")  # the dinas's own staff: no kelurahan
    visit = CoachingVisit.objects.create(kampung=village, date=datetime.date(2024, 2, 5))
    visit.team.add(team)
    return {
        "village": village,
        "person": make_person(name="Siti Aminah", kelurahan=village.kelurahan),
        "event": make_event(districts=["61.71.05"]),
        "visit": visit,
    }


@pytest.mark.parametrize("record", [village, person, event, visit])
def test_each_field_changed_through_the_form_shows_on_the_page_and_in_history(
    client, admin_client, dinas, world, record
):
    instance, edit_name, page_name = record(world)
    model = type(instance)
    tracked = {f.name for f in model.history.model._meta.fields}
    edit_url = reverse(edit_name, args=[instance.pk])
    client.force_login(dinas)
    form = client.get(edit_url).context["form"]
    changed = []
    for bound in form:
        name = bound.name
        if name in FIXED:
            continue
        form = client.get(edit_url).context["form"]
        value = changed_value(name, form[name])
        assert value is not None, f"{name} has no other value to take"
        data = {**page_form_data(client.get(edit_url)), name: value}
        response = client.post(edit_url, data)
        assert response.status_code == 302, (name, response.context["form"].errors)
        changed.append(name)
        page_url = reverse(page_name, args=[instance.pk])
        for viewer in (client, admin_client):
            page = viewer.get(page_url)
            assert page.status_code == 200, (name, page_url)
        if name in tracked:  # a form's own fields (days, m2m) are not the record's history
            label = str(model._meta.get_field(name).verbose_name)
            newest = history_rows(instance.history.all(), limit=1)[0]
            [change] = [c for c in newest.changes if str(c.field) == label]
            shown = readable(model._meta.get_field(name), value)
            assert shown is None or str(change.new) == shown, (name, change.new)
            assert f"<li>{capfirst(label)}: <del>" in page.content.decode(), name
    assert changed, "the form showed no field to change"


def test_a_changed_nik_is_kept_out_of_the_history(client, dinas, world):
    person = world["person"]
    client.force_login(dinas)
    url = reverse("villages:person_edit", args=[person.pk])
    data = {**page_form_data(client.get(url)), "nik": SHAPED_TEXT["nik"]}
    assert client.post(url, data).status_code == 302
    assert Person.objects.get(pk=person.pk).nik == SHAPED_TEXT["nik"]
    rows = history_rows(person.history.all())
    assert [c.field for row in rows for c in row.changes] == []
    assert SHAPED_TEXT["nik"] not in str(list(person.history.values()))
