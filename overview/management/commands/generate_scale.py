"""Synthetic data at national scale, for measuring the pages (see `benchmark`).

Regions get codes under province 99, which Kemendagri has never issued, so they
can never be mistaken for (or collide with) the real reference data. Rows are
written with bulk inserts in batches; history is not written for synthetic rows.
"""

import datetime
import random
import secrets
import time

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import Profile
from coaching.models import CoachingPlan, CoachingVisit, Need
from training.models import Attendance, EventDay, Registration, TrainingEvent
from training.services import certificates_issue
from villages.demo import STAGES, stage_profile
from villages.models import (
    Activity,
    ActivityAgency,
    Agency,
    City,
    District,
    FamilyFunction,
    KampungKB,
    Kelurahan,
    Manager,
    Person,
    Pokja,
    PokjaMember,
    ProfileSnapshot,
)

SYNTHETIC_PROVINCE = "99"
KELURAHAN_PER_DISTRICT = 40
DISTRICTS_PER_CITY = 30
BENCH_USER = "bench.nasional"
LOKAKARYA_CODE = "SIN-LOKA-155"
FIRST_MONTH = datetime.date(2025, 1, 1)


class Command(BaseCommand):
    help = "Generate synthetic national-scale data (codes under province 99) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=2000)
        parser.add_argument("--persons", type=int, default=10000)
        parser.add_argument("--events", type=int, default=50)
        parser.add_argument("--attendance", type=int, default=20000)
        parser.add_argument("--visits", type=int, default=24000)
        parser.add_argument("--seed", type=int, default=84000)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument(
            "--password",
            help=f"password of {BENCH_USER}, to look at the pages (default: made and printed)",
        )

    def handle(self, *args, **options):
        if City.objects.filter(code__startswith=f"{SYNTHETIC_PROVINCE}.").exists():
            raise CommandError("Synthetic data is already there; start from an empty database.")
        self.random = random.Random(options["seed"])
        self.batch = options["batch"]
        self.started = time.monotonic()
        with transaction.atomic():
            kelurahan = self.regions(options["villages"])
            villages = self.villages(kelurahan)
            persons = self.persons(options["persons"], kelurahan)
            self.managers_and_snapshots(villages, persons)
            self.events(options["events"], options["attendance"], persons)
            self.lokakarya(persons)
            self.coaching(villages, options["visits"])
            self.as_lived_in(villages[0], persons)
            self.bench_user(options["password"])
        # Planner statistics for the new rows: without them SQLite sorts the whole
        # village table for a page of 50, where the (name, id) index would do.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.say(f"done in {time.monotonic() - self.started:.0f} s")

    # -- helpers ---------------------------------------------------------------------

    def say(self, message):
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f} s] {message}")
        self.stdout.flush()

    def bulk(self, model, rows, label):
        """Insert in batches, printing progress; returns the saved rows (with ids)."""
        saved = []
        for start in range(0, len(rows), self.batch):
            saved += model.objects.bulk_create(rows[start : start + self.batch])
            self.say(f"{label}: {len(saved):,}/{len(rows):,}")
        return saved

    # -- the data ----------------------------------------------------------------------

    def regions(self, villages):
        cities_needed = -(-villages // (KELURAHAN_PER_DISTRICT * DISTRICTS_PER_CITY))
        if cities_needed > 99:
            raise CommandError("At most 118,800 synthetic villages (99 cities).")
        cities = self.bulk(
            City,
            [
                City(code=f"{SYNTHETIC_PROVINCE}.{c:02d}", name=f"Kota Sintetis {c:02d}")
                for c in range(1, cities_needed + 1)
            ],
            "kota",
        )
        districts = self.bulk(
            District,
            [
                District(
                    code=f"{city.code}.{d:02d}",
                    name=f"Kecamatan Sintetis {city.code[3:]}.{d:02d}",
                    city=city,
                )
                for city in cities
                for d in range(1, DISTRICTS_PER_CITY + 1)
            ],
            "kecamatan",
        )
        rows = [
            Kelurahan(
                code=f"{district.code}.{1000 + k}",
                district=district,
                name=f"Kelurahan Sintetis {district.code[3:]}.{1000 + k}",
            )
            for district in districts
            for k in range(1, KELURAHAN_PER_DISTRICT + 1)
        ][:villages]
        return self.bulk(Kelurahan, rows, "kelurahan")

    def villages(self, kelurahan):
        return self.bulk(
            KampungKB,
            [
                KampungKB(
                    name=f"Kampung KB {k.name[19:]}",
                    kelurahan=k,
                    rw_covered="RW 01",
                )
                for k in kelurahan
            ],
            "Kampung KB",
        )

    def persons(self, count, kelurahan):
        rows = []
        for n in range(count):
            home = kelurahan[n % len(kelurahan)]
            rows.append(
                Person(
                    name=f"Warga Sintetis {n:07d}",
                    sex="LP"[n % 2],
                    city_id=home.district.city_id,
                    kelurahan=home if n % 5 else None,
                )
            )
        return self.bulk(Person, rows, "orang")

    def managers_and_snapshots(self, villages, persons):
        start = datetime.date(2024, 1, 1)
        managers, snapshots = [], []
        for index, village in enumerate(villages):
            for offset, role in enumerate(("ketua", "sekretaris")):
                person = persons[(2 * index + offset) % len(persons)]
                managers.append(
                    Manager(kampung=village, person=person, role=role, start_date=start)
                )
            stage = STAGES[index % len(STAGES)]  # every level appears, as in the demo
            snapshots.append(
                ProfileSnapshot(
                    kampung=village,
                    month=FIRST_MONTH,
                    **stage_profile(stage, self.random.randint(200, 900)),
                )
            )
        self.bulk(Manager, managers, "pengelola")
        self.bulk(ProfileSnapshot, snapshots, "profil bulanan")

    def events(self, count, attendance, persons):
        if not count:
            return
        organiser = Agency.objects.get(abbreviation="DP2KBP3A")
        by_city = {}
        for person in persons:
            by_city.setdefault(person.city_id, []).append(person)
        city_ids = sorted(by_city)
        events = self.bulk(
            TrainingEvent,
            [
                TrainingEvent(
                    kind="bimtek",
                    title=f"Bimtek Sintetis {n:05d}",
                    code=f"SIN-{n:05d}",
                    city_id=city_ids[n % len(city_ids)],
                    organiser=organiser,
                    venue="Aula",
                    capacity=1000,
                    status="done",
                )
                for n in range(count)
            ],
            "kegiatan",
        )
        days = self.bulk(
            EventDay,
            [
                EventDay(event=event, date=FIRST_MONTH + datetime.timedelta(days=n % 300 + d))
                for n, event in enumerate(events)
                for d in range(2)
            ],
            "hari kegiatan",
        )
        per_event = max(1, attendance // (2 * count))
        registrations = []
        for event in events:
            pool = by_city[event.city_id]
            for person in self.random.sample(pool, min(per_event, len(pool))):
                registrations.append(
                    Registration(
                        event=event,
                        person=person,
                        category="pengelola",
                        # unique by construction: random codes of a million
                        # registrations collide (the lokakarya's are L…)
                        checkin_code=f"S{len(registrations):09d}",
                    )
                )
        registrations = self.bulk(Registration, registrations, "pendaftaran")
        days_of = {}
        for day in days:
            days_of.setdefault(day.event_id, []).append(day)
        self.bulk(
            Attendance,
            [
                Attendance(registration=r, day=day, status="hadir" if n % 9 else "izin")
                for n, r in enumerate(registrations)
                for day in days_of[r.event_id]
            ],
            "kehadiran",
        )

    def lokakarya(self, persons):
        """The Pasuruan shape the benchmark measures: 155 participants over two days."""
        city_id = persons[0].city_id
        event = TrainingEvent.objects.create(
            kind="lokakarya",
            title="Lokakarya Sintetis 155",
            code=LOKAKARYA_CODE,
            city_id=city_id,
            organiser=Agency.objects.get(abbreviation="DP3AKB"),
            venue="Hotel",
            capacity=155,
            status="done",
        )
        days = EventDay.objects.bulk_create(
            [EventDay(event=event, date=datetime.date(2025, 12, 28 + d)) for d in range(2)]
        )
        people = [p for p in persons if p.city_id == city_id][:155]
        registrations = Registration.objects.bulk_create(
            [
                Registration(event=event, person=p, category="pokja", checkin_code=f"L{n:09d}")
                for n, p in enumerate(people)
            ]
        )
        Attendance.objects.bulk_create(
            [Attendance(registration=r, day=d, status="hadir") for r in registrations for d in days]
        )
        certificates_issue(event=event)
        self.say(f"lokakarya {LOKAKARYA_CODE}: {len(registrations)} × 2 days, certificates")

    def coaching(self, villages, visits):
        months = [datetime.date(2025, m, 1) for m in range(1, 13)]
        plans = self.bulk(
            CoachingPlan,
            [
                CoachingPlan(kampung=village, month=month, planned_date=month.replace(day=10))
                for village in villages
                for month in months
            ],
            "rencana pembinaan",
        )
        chosen = plans if visits >= len(plans) else self.random.sample(plans, visits)
        self.bulk(
            CoachingVisit,
            [
                CoachingVisit(
                    kampung_id=plan.kampung_id,
                    plan=plan,
                    date=plan.planned_date,
                    status="verified",
                    findings="Sintetis",
                )
                for plan in chosen
            ],
            "kunjungan",
        )

    def as_lived_in(self, village, persons):
        """The village the benchmark opens (the first) with what a real one holds after
        a few years: a year of profiles, past managers, a kelurahan Pokja of agencies,
        activities with their agencies, open needs, a level set by hand and a history
        of edits. The other villages keep the one profile and two managers above."""
        kelurahan = village.kelurahan
        people = persons[:16]  # four past managers, twelve Pokja members
        agencies = list(Agency.objects.order_by("pk")[:12])
        ProfileSnapshot.objects.bulk_create(
            ProfileSnapshot(
                kampung=village,
                month=datetime.date(2024, month, 1),
                **stage_profile(STAGES[month % len(STAGES)], 400 + month),
            )
            for month in range(2, 13)
        )
        Manager.objects.bulk_create(
            Manager(
                kampung=village,
                person=person,
                role="seksi_agama",
                start_date=datetime.date(2019, 1, 1),
                end_date=datetime.date(2023, 12, 31),
            )
            for person in people[:4]
        )
        pokja = Pokja.objects.create(
            level="kelurahan",
            city_id=kelurahan.district.city_id,
            district_id=kelurahan.district_id,
            kelurahan=kelurahan,
        )
        PokjaMember.objects.bulk_create(
            PokjaMember(pokja=pokja, person=person, agency=agency, term_start=FIRST_MONTH)
            for person, agency in zip(people[4:], agencies, strict=False)
        )
        for n in range(15):
            activity = Activity.objects.create(
                kampung=village,
                title=f"Kegiatan Sintetis {n:02d}",
                date=FIRST_MONTH + datetime.timedelta(days=20 * n),
                place="Balai RW 01",
                family_function=FamilyFunction.values[n % len(FamilyFunction.values)],
            )
            ActivityAgency.objects.bulk_create(
                ActivityAgency(activity=activity, agency=agency)
                for agency in agencies[n % 4 : n % 4 + 3]
            )
        Need.objects.bulk_create(
            Need(
                kampung=village,
                category="data",
                description=f"Kebutuhan sintetis {n}",
                agency=agencies[n],
                due_date=datetime.date(2025, 6, 1),
            )
            for n in range(6)
        )
        for n in range(12):  # a history of edits, as the page lists its latest
            village.rw_covered = f"RW 01-{n + 2:02d}"
            village.save()
        village.level_override, village.override_reason = "mandiri", "Verifikasi lapangan"
        village.save()
        self.say(f"the benchmarked village {village.name}, as a real one is")

    def bench_user(self, password):
        """A dinas officer over every synthetic city, for the benchmark to sign in as
        and for a person to look at the national-scale pages."""
        user, _ = User.objects.get_or_create(username=BENCH_USER)
        made = password is None
        if made:
            password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name="dinas")])
        profile, _ = Profile.objects.get_or_create(user=user)
        profile.cities.set(City.objects.filter(code__startswith=f"{SYNTHETIC_PROVINCE}."))
        self.say(f"benchmark user {BENCH_USER}")
        if made:
            self.say(f"its password, made for this run: {password}")
