"""Demo data for the training app: the two events of the seed articles.

- Pontianak, 27 March 2018: bimtek phase 1 for the managers of Pontianak Barat and
  Pontianak Kota, 50 participants, Restoran Kapulage; phase 2 follows as a draft.
- Pasuruan, 28–29 December 2020: city lokakarya at Hotel Transit, 155 participants
  (12 Kepala Perangkat Daerah, 4 Camat, 4 Lurah, 114 Pokja Kampung KB, 21 Penyuluh KB)
  and four speakers.
- Pontianak, the year the demo is run in: the same bimtek, phase I last month and
  phase II next month, open, its participants registered.
"""

import datetime
import random

from kampungkb.months import add_months
from villages.demo import PeopleMaker
from villages.models import Agency, City, District, FamilyFunction, Kelurahan, Pokja
from villages.services import record_activity

from . import services
from .models import Attendance, Registration, TrainingEvent

PONTIANAK_CODE = "BIMTEK-PTK-2018-1"
#: Pontianak Barat and Pontianak Kota, whose managers phase I of a bimtek gathers.
FIRST_PHASE_DISTRICTS = ["61.71.03", "61.71.05"]
PASURUAN_CODE = "LOKA-PSR-2020"
SPEAKERS = [
    ("Kepala Perwakilan BKKBN Provinsi Jawa Timur", "BKKBN"),
    ("Kepala Bapelitbangda Kota Pasuruan", "BAPELITBANGDA"),
    ("Kepala Dinas Kesehatan Kota Pasuruan", "DINKES"),
    ("Kepala DP3AKB Kota Pasuruan", "DP3AKB"),
]


def _fill_attendance(event, rng, *, absent_share=0.04, late_share=0.08):
    """Mark every registered participant on every day, mostly present."""
    marks = {}
    registrations = list(event.registrations.filter(status=Registration.Status.REGISTERED))
    for day in event.days.all():
        for registration in registrations:
            roll = rng.random()
            status = (
                Attendance.Status.EXCUSED
                if roll < absent_share
                else Attendance.Status.LATE
                if roll < absent_share + late_share
                else Attendance.Status.PRESENT
            )
            marks[(registration.pk, day.pk)] = status
    services.attendance_save_grid(event=event, marks=marks, by=None)


def seed_pontianak():
    city = City.objects.get(code="61.71")
    districts = District.objects.filter(code__in=FIRST_PHASE_DISTRICTS)
    event = _bimtek_first_phase(
        city, PONTIANAK_CODE, "Bimtek Pengelola Kampung KB 2018", datetime.date(2018, 3, 27)
    )
    services.event_copy_as_next_phase(
        event=event,
        districts=District.objects.filter(city=city).exclude(pk__in=districts),
        first_day=datetime.date(2018, 4, 24),
        last_day=datetime.date(2018, 4, 24),
        code="BIMTEK-PTK-2018-2",
    )


def seed_this_year(today):
    """Pontianak's bimtek of `today`'s year: phase I held last month, phase II next
    month, open, with the managers of its four kecamatan registered. Returns False
    where it was there."""
    code = f"BIMTEK-PTK-{today.year}-1"
    if TrainingEvent.objects.filter(code=code).exists():
        return False
    city = City.objects.get(code="61.71")
    first = _bimtek_first_phase(
        city,
        code,
        f"Bimtek Pengelola Kampung KB {today.year}",
        _working_day(add_months(today.replace(day=1), -1).replace(day=17)),
    )
    day = _working_day(add_months(today.replace(day=1), 1).replace(day=17))
    districts = District.objects.filter(city=city).exclude(code__in=FIRST_PHASE_DISTRICTS)
    second = services.event_copy_as_next_phase(
        event=first, districts=districts, first_day=day, last_day=day, code=f"{code[:-2]}-2"
    )
    second.status = TrainingEvent.Status.OPEN
    second.capacity = 60
    second.save()
    services.registrations_bulk_managers(event=second, districts=districts)
    return True


def _working_day(day):
    while day.weekday() >= 5:  # Saturday or Sunday
        day += datetime.timedelta(days=1)
    return day


def _bimtek_first_phase(city, code, programme, day):
    """Phase I for the managers of Pontianak Barat and Pontianak Kota, 50 participants
    at Restoran Kapulage on `day`: held, attended, certified, on the villages' record."""
    districts = District.objects.filter(code__in=FIRST_PHASE_DISTRICTS)
    event = TrainingEvent.objects.create(
        kind=TrainingEvent.Kind.BIMTEK,
        title="Bimbingan Teknis Pengelola Kampung KB Program KKBPK Tahap I",
        code=code,
        programme=programme,
        phase=1,
        city=city,
        organiser=Agency.objects.get(abbreviation="DP2KBP3A"),
        venue="Restoran Kapulage, Pontianak",
        capacity=50,
        committee_chair="Yuniarlita",
        contact_name="Yuniarlita",
        contact_phone="081200000001",
        signatory_name="Musa",
        signatory_title="Sekretaris DP2KBP3A Kota Pontianak",
        status=TrainingEvent.Status.OPEN,
    )
    event.target_districts.set(districts)
    services.event_set_days(
        event=event, first_day=day, last_day=day, hours=(datetime.time(8), datetime.time(14))
    )
    services.registrations_bulk_managers(event=event, districts=districts)
    _fill_attendance(event, random.Random(day.day))
    services.certificates_issue(event=event)
    _record_in_villages(event, FamilyFunction.EDUCATION)
    _finish(event)
    return event


def seed_pasuruan():
    city = City.objects.get(code="35.75")
    agencies = {a.abbreviation: a for a in Agency.objects.all()}
    people = PeopleMaker(seed=20201228)
    event = TrainingEvent.objects.create(
        kind=TrainingEvent.Kind.LOKAKARYA,
        title="Lokakarya Tingkat Kota bagi Pengelola Kampung KB se-Kota Pasuruan",
        code=PASURUAN_CODE,
        programme="Lokakarya Kampung KB 2020",
        city=city,
        organiser=agencies["DP3AKB"],
        venue="Hotel Transit, Kota Pasuruan",
        capacity=155,
        committee_chair="",
        contact_name="Sekretariat DP3AKB",
        contact_phone="081200000002",
        status=TrainingEvent.Status.OPEN,
    )
    services.event_set_days(
        event=event,
        first_day=datetime.date(2020, 12, 28),
        last_day=datetime.date(2020, 12, 29),
        hours=(datetime.time(8), datetime.time(16)),
    )
    category = Registration.Category
    city_pokja = Pokja.objects.get(city=city, level=Pokja.Level.CITY)
    for member in city_pokja.members.select_related("person", "agency"):
        services.registration_create(
            event=event, person=member.person, category=category.KEPALA_PD, agency=member.agency
        )
    camat_registrations = []
    for district in District.objects.filter(city=city):
        camat = people.person(city=city, position=f"Camat {district.name}")
        camat_registrations.append(
            services.registration_create(
                event=event,
                person=camat,
                category=category.CAMAT,
                district=district,
                agency=agencies["KECAMATAN"],
            )
        )
    village_kelurahan = Kelurahan.objects.filter(district__city=city, kampung_kb__isnull=False)
    for kelurahan in village_kelurahan.distinct():
        lurah = people.person(city=city, kelurahan=kelurahan, position=f"Lurah {kelurahan.name}")
        services.registration_create(
            event=event,
            person=lurah,
            category=category.LURAH,
            kelurahan=kelurahan,
            agency=agencies["KELURAHAN"],
        )
    services.registrations_bulk_pokja(
        event=event, pokja_list=Pokja.objects.filter(city=city, level=Pokja.Level.KELURAHAN)
    )
    for number in range(21):
        penyuluh = people.person(city=city, position=f"Penyuluh KB {number + 1}")
        services.registration_create(
            event=event, person=penyuluh, category=category.PENYULUH, agency=agencies["DP3AKB"]
        )
    for position, abbreviation in SPEAKERS:
        speaker = people.person(city=city, position=position)
        services.registration_create(
            event=event, person=speaker, category=category.NARASUMBER, agency=agencies[abbreviation]
        )
    # One camat sent the sekretaris camat in his place (diwakilkan).
    services.registration_substitute(
        registration=camat_registrations[0],
        substitute=people.person(city=city, position="Sekretaris Kecamatan Gadingrejo"),
    )
    _fill_attendance(event, random.Random(28))
    services.certificates_issue(event=event)
    _record_in_villages(event, FamilyFunction.EDUCATION)
    _finish(event)


def _record_in_villages(event, family_function):
    """The event on the record of each village it concerns, as its page does it."""
    fields = services.event_activity_initial(event)
    for village in services.event_villages(event):
        activity = record_activity(kampung=village, family_function=family_function, **fields)
        services.link_event_activity(event, activity)


def _finish(event):
    """Over, as both events are: registrations are closed from now on."""
    event.status = TrainingEvent.Status.DONE
    event.save()


def seed():
    if TrainingEvent.objects.filter(code=PONTIANAK_CODE).exists():
        return False
    seed_pontianak()
    seed_pasuruan()
    return True
