"""Small builders for test data; each fills what the test does not care about."""

import datetime
import itertools

from training.models import EventDay, TrainingEvent
from villages.models import Agency, City, District, KampungKB, Kelurahan, Person, ProfileSnapshot

_serial = itertools.count(1)


def make_village(kelurahan_code="61.71.05.1001", **fields):
    fields.setdefault("name", f"Kampung KB Uji {next(_serial)}")
    return KampungKB.objects.create(kelurahan=Kelurahan.objects.get(code=kelurahan_code), **fields)


def make_person(city_code="61.71", **fields):
    fields.setdefault("name", f"Orang Uji {next(_serial)}")
    fields.setdefault("sex", Person.Sex.FEMALE)
    return Person.objects.create(city=City.objects.get(code=city_code), **fields)


ALL_INPUT = dict(
    pokja_formed=True,
    pokja_has_sk=True,
    pokja_trained=True,
    pkb_assigned=True,
    funding_sources=["apbd"],
    regulation_in_place=True,
)
ALL_PROCESS = dict(
    programmes=["bkb", "bkr", "bkl", "pik_r", "uppka", "rumah_dataku"],
    data_used=["pk"],
    operational_activities=["koordinasi"],
)


def make_snapshot(village, month=datetime.date(2024, 1, 1), **fields):
    fields.setdefault("pus", 100)
    return ProfileSnapshot.objects.create(kampung=village, month=month, **fields)


def make_event(city_code="61.71", districts=(), days=(datetime.date(2024, 3, 27),), **fields):
    fields.setdefault("title", f"Bimtek Uji {next(_serial)}")
    fields.setdefault("code", f"UJI-{next(_serial)}")
    fields.setdefault("kind", TrainingEvent.Kind.BIMTEK)
    fields.setdefault("venue", "Aula Dinas")
    fields.setdefault("capacity", 50)
    event = TrainingEvent.objects.create(
        city=City.objects.get(code=city_code),
        organiser=fields.pop("organiser", None) or Agency.objects.get(abbreviation="DP2KBP3A"),
        **fields,
    )
    event.target_districts.set(District.objects.filter(code__in=districts))
    EventDay.objects.bulk_create([EventDay(event=event, date=d) for d in days])
    return event
