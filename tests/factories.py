"""Small builders for test data; each fills what the test does not care about."""

import datetime
import io
import itertools

from django.core.files.base import ContentFile
from PIL import Image

from training.models import EventDay, TrainingEvent
from villages.models import (
    Activity,
    ActivityPhoto,
    Agency,
    City,
    District,
    FamilyFunction,
    KampungKB,
    Kelurahan,
    Person,
    ProfileSnapshot,
)

_serial = itertools.count(1)


def make_village(kelurahan_code="61.71.05.1001", **fields):
    fields.setdefault("name", f"Kampung KB Uji {next(_serial)}")
    return KampungKB.objects.create(kelurahan=Kelurahan.objects.get(code=kelurahan_code), **fields)


def make_person(city_code="61.71", **fields):
    fields.setdefault("name", f"Orang Uji {next(_serial)}")
    fields.setdefault("sex", Person.Sex.FEMALE)
    return Person.objects.create(city=City.objects.get(code=city_code), **fields)


#: A profile whose input index passes (3.20): a trained Pokja with members, two
#: funds, five poktan and Rumah DataKu, a PKB and a regulation.
ALL_INPUT = dict(
    pokja_formed=True,
    pokja_members=10,
    pokja_trained=True,
    funding_sources=["apbd", "dana_desa"],
    programmes=["bkb", "bkr", "bkl", "uppka", "pik_r", "rumah_dataku"],
    pkb_assigned=True,
    regulation_in_place=True,
)
#: … whose process index passes (3.00): four data sources, all five operations.
ALL_PROCESS = dict(
    data_used=["pk", "rutin", "potensi_desa", "sektoral"],
    operational_activities=["perencanaan", "koordinasi", "sosialisasi", "monev", "laporan"],
)
#: … whose output index passes (4.00): 40 % in every poktan, CPR 60 %, MKJP 50 %,
#: unmet need 3 %.
ALL_OUTPUT = dict(
    families=100,
    youths=100,
    families_with_toddler=100,
    families_with_teen=100,
    families_with_elderly=100,
    members_bkb=40,
    members_bkr=40,
    members_bkl=40,
    members_uppka=40,
    members_pikr=40,
    pus=100,
    users_iud=30,
    users_pill=30,
    iat=3,
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


def photo_bytes(fmt="JPEG", size=(64, 48), color=(200, 80, 40), **save):
    """A small image file of `fmt`, as a phone's camera or gallery gives one."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt, **save)
    return out.getvalue()


def make_activity(village, agencies=(), date=datetime.date(2024, 1, 15), **fields):
    fields.setdefault("title", f"Penyuluhan {next(_serial)}")
    fields.setdefault("place", "Balai RW 03")
    fields.setdefault("family_function", FamilyFunction.REPRODUCTION)
    activity = Activity.objects.create(kampung=village, date=date, **fields)
    activity.agencies.set(Agency.objects.filter(abbreviation__in=agencies))
    return activity


def make_photo(activity, kind="kegiatan", **fields):
    image = ContentFile(photo_bytes(), name="foto.jpg")
    return ActivityPhoto.objects.create(activity=activity, kind=kind, image=image, **fields)
