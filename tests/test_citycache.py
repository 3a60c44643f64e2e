"""The one rule of the cached city figures (kampungkb/citycache.py): they are counted
from the tables in `SOURCES` alone, and every ORM write to a row of those tables
retires the figures of the row's city, whatever wrote it."""

import datetime
import itertools
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from coaching import services as coaching
from coaching.models import CoachingPlan, CoachingVisit, Need
from kampungkb import citycache, dashboard
from training.models import EventDay, TrainingEvent
from villages import figures
from villages.models import (
    Agency,
    City,
    District,
    KampungKB,
    Kelurahan,
    Person,
    ProfileSnapshot,
)

from .factories import make_village

pytestmark = pytest.mark.django_db

_day = itertools.count(1)


def _date():
    return datetime.date(2019, 1, 1) + datetime.timedelta(days=next(_day))


def _village():
    return KampungKB.objects.get_or_create(
        name="Kampung KB Sumber", kelurahan=Kelurahan.objects.get(code="61.71.05.1001")
    )[0]


def _event():
    return TrainingEvent(
        code=f"SUMBER-{next(_day)}",
        title="Bimtek Sumber",
        kind="bimtek",
        venue="Aula",
        capacity=10,
        city=City.objects.get(code="61.71"),
        organiser=Agency.objects.get(abbreviation="DP2KBP3A"),
    )


def _saved_event():
    event = _event()
    event.save()
    return event


#: A new, unsaved row of each model in SOURCES, in Pontianak.
UNSAVED = {
    Kelurahan: lambda: Kelurahan(
        code=f"61.71.05.{9000 + next(_day)}",
        name="Kelurahan Baru",
        district=District.objects.get(code="61.71.05"),
    ),
    KampungKB: lambda: KampungKB(
        name="Kampung KB Baru", kelurahan=Kelurahan.objects.get(code="61.71.05.1002")
    ),
    Person: lambda: Person(name="Orang Baru", sex="P", city=City.objects.get(code="61.71")),
    ProfileSnapshot: lambda: ProfileSnapshot(kampung=_village(), month=_date().replace(day=1)),
    TrainingEvent: _event,
    EventDay: lambda: EventDay(event=_saved_event(), date=_date()),
    CoachingPlan: lambda: CoachingPlan(
        kampung=_village(), month=_date().replace(day=1), planned_date=datetime.date(2019, 1, 9)
    ),
    CoachingVisit: lambda: CoachingVisit(kampung=_village(), date=_date()),
    Need: lambda: Need(kampung=_village(), category="data", description="Papan data"),
}


def test_every_source_has_a_builder_here():
    assert {model._meta.label for model in UNSAVED} == set(citycache.SOURCES)


def version_of_pontianak():
    city = City.objects.get(code="61.71")
    citycache.per_city("probe", [city.pk], lambda ids: dict.fromkeys(ids, 0))
    return cache.get(f"city-version:{city.pk}")


def _saved(model):
    row = UNSAVED[model]()
    row.save()
    return row


def _a_field(model):
    return next(
        f.name for f in model._meta.concrete_fields if not f.primary_key and not f.is_relation
    )


#: Each write to a row made beforehand (None: the write makes its own row).
WRITES = {
    "save new": (None, lambda model, row: _saved(model)),
    "bulk_create": (None, lambda model, row: model.objects.bulk_create([UNSAVED[model]()])),
    "save change": (_saved, lambda model, row: row.save()),
    "update()": (
        _saved,
        lambda model, row: model.objects.filter(pk=row.pk).update(
            **{_a_field(model): F(_a_field(model))}
        ),
    ),
    "delete": (_saved, lambda model, row: row.delete()),
    "QuerySet.delete()": (_saved, lambda model, row: model.objects.filter(pk=row.pk).delete()),
}


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("model", UNSAVED, ids=lambda model: model.__name__)
def test_every_write_to_a_source_retires_its_citys_figures(model, write):
    prepare, act = WRITES[write]
    _village()  # what the builders need exists before the version is read
    row = prepare(model) if prepare else None
    before = version_of_pontianak()
    act(model, row)
    assert version_of_pontianak() != before


def test_a_move_retires_the_city_left_and_the_city_joined(db):
    village = make_village()
    pasuruan = City.objects.get(code="35.75")
    citycache.per_city("probe", [pasuruan.pk], lambda ids: dict.fromkeys(ids, 0))
    before = cache.get(f"city-version:{pasuruan.pk}"), version_of_pontianak()
    KampungKB.objects.filter(pk=village.pk).update(
        kelurahan=Kelurahan.objects.get(code="35.75.01.1001")
    )
    assert cache.get(f"city-version:{pasuruan.pk}") != before[0]
    assert version_of_pontianak() != before[1]


#: Every figure the app caches, with a call that counts it for Pontianak.
FIGURES = {
    "village-levels": lambda city: figures._levels_by_city([city.pk]),
    "people": lambda city: figures._people_by_city([city.pk]),
    "dashboard": lambda city: dashboard._cities_figures([city.pk], datetime.date(2024, 1, 1)),
    "coverage": lambda city: coaching._coverage([city.pk], datetime.date(2024, 1, 1)),
}


def test_the_figures_read_no_table_beyond_the_sources():
    city = City.objects.get(code="61.71")
    sources = {apps.get_model(label)._meta.db_table for label in citycache.SOURCES}
    joined_only = {City._meta.db_table}  # the way to the city
    for name, count in FIGURES.items():
        with CaptureQueriesContext(connection) as captured:
            count(city)
        tables = {
            table
            for query in captured.captured_queries
            for table in re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"])
        }
        assert tables - joined_only <= sources, name


def test_every_cached_figure_is_listed_above():
    """A new figure cached anywhere in the app must be added to FIGURES (and its tables
    to SOURCES), or this fails."""
    cached = set()
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        cached.update(re.findall(r'citycache\.(?:per_city|total)\(\s*"([\w-]+)"', path.read_text()))
    assert cached == set(FIGURES)


def test_a_source_whose_manager_is_not_tracked_stops_the_app(monkeypatch):
    monkeypatch.setitem(citycache.SOURCES, "villages.Manager", "kampung__city")
    with pytest.raises(ImproperlyConfigured, match="villages.Manager"):
        citycache.connect()


def test_a_tracked_model_missing_from_the_sources_stops_the_app(monkeypatch):
    monkeypatch.delitem(citycache.SOURCES, "coaching.Need")
    with pytest.raises(ImproperlyConfigured, match="coaching.Need"):
        citycache.connect()
