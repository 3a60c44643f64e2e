"""Demo data for coaching: Pontianak's year of monthly visits after the 2018 bimtek.

Every Kampung KB of the six kecamatan is planned once a month from April 2018 to
March 2019. A few months are missed; needs are raised, routed to agencies,
followed at later visits and met (or still open at the end of the year).
"""

import datetime

from kampungkb.months import months_from
from villages.models import Agency, City, FamilyFunction, KampungKB, Person
from villages.services import record_activity

from . import services
from .models import CoachingPlan, CoachingVisit, Need

FIRST_MONTH = datetime.date(2018, 4, 1)
#: (village index, month index) pairs with no visit
MISSED = {(2, 3), (4, 8), (4, 9), (5, 6)}
#: The month whose visit each village records as one of its activities.
RECORDED_MONTH = 4
#: village index, month index raised, month index met (None: still open), category,
#: agency, description
NEEDS = [
    (0, 0, 4, "sarana", "DISKOMINFO", "Komputer dan printer untuk Rumah DataKu"),
    (0, 2, None, "pelatihan", "DP2KBP3A", "Pelatihan kader BKR tentang pola asuh remaja"),
    (1, 0, 2, "kelembagaan", "KELURAHAN", "SK Pokja Kampung KB dari lurah"),
    (1, 1, 7, "sarana", "DINKES", "Timbangan dan alat ukur tinggi untuk posyandu"),
    (2, 1, 5, "data", "DISDUKCAPIL", "Pemutakhiran data PUS dan akta kelahiran"),
    (3, 0, None, "lintas_sektor", "DPUPR", "Perbaikan saluran air di RW pesisir"),
    (3, 4, 9, "anggaran", "BAPPEDA", "Usulan kegiatan Kampung KB dalam musrenbang"),
    (4, 2, 6, "pelatihan", "DINSOS", "Pendampingan UPPKA untuk usaha keluarga"),
    (5, 3, None, "sarana", "DISDIK", "Ruang PIK-R di sekolah terdekat"),
]
TOPICS = [
    "Penguatan Pokja dan pembagian peran seksi",
    "Pengisian data Rumah DataKu dan pemanfaatannya",
    "Kegiatan poktan BKB, BKR dan BKL",
    "Rencana kerja dan dukungan lintas sektor",
]
ROTATING_AGENCIES = ["DINKES", "DISDIK", "DINSOS", "PKK", "KELURAHAN", "DISDUKCAPIL"]


def _team(city):
    names = [
        ("Yuniarlita", "P", "Ketua Panitia Bimtek, DP2KBP3A"),
        ("Musa", "L", "Sekretaris DP2KBP3A"),
        ("Hendra Saputra", "L", "PKB Kecamatan Pontianak Kota"),
        ("Siti Rahayu", "P", "PKB Kecamatan Pontianak Barat"),
    ]
    return [
        Person.objects.create(name=name, sex=sex, position=position, city=city)
        for name, sex, position in names
    ]


def seed():
    city = City.objects.get(code="61.71")
    if CoachingPlan.objects.filter(kampung__kelurahan__district__city=city).exists():
        return False
    services.plan_generate(districts=city.districts.all(), first_month=FIRST_MONTH)
    villages = KampungKB.objects.filter(kelurahan__district__city=city)
    villages = list(villages.order_by("kelurahan__district__code"))
    agencies = {a.abbreviation: a for a in Agency.objects.all()}
    team = _team(city)
    months = months_from(FIRST_MONTH)
    needs = {}
    for m, month in enumerate(months):
        for v, village in enumerate(villages):
            if (v, m) in MISSED:
                continue
            plan = CoachingPlan.objects.get(kampung=village, month=month)
            visit = CoachingVisit.objects.create(
                kampung=village,
                plan=plan,
                date=plan.planned_date,
                topics=TOPICS[m % len(TOPICS)],
                findings=f"Kegiatan poktan berjalan; {3 + (v + m) % 4} kader aktif hadir.",
                recommendations="Lanjutkan pencatatan bulanan dan rapat operasional.",
                status=(
                    CoachingVisit.Status.VERIFIED
                    if m < 10
                    else CoachingVisit.Status.SUBMITTED
                    if m == 10
                    else CoachingVisit.Status.DRAFT
                ),
            )
            visit.team.set(team[:2] + [team[2 + v % 2]])
            visit.agencies_present.set(
                [agencies[ROTATING_AGENCIES[(v + m) % 6]], agencies["DP2KBP3A"]]
            )
            _follow_needs(visit, v, m, needs, agencies)
            if m == RECORDED_MONTH:
                _record_as_activity(visit)
    return True


def _record_as_activity(visit):
    """The visit on the village's record of activities, as its page does it."""
    fields = services.visit_activity_initial(visit)
    activity = record_activity(
        kampung=visit.kampung, family_function=FamilyFunction.PROTECTION, **fields
    )
    services.link_visit_activity(visit, activity)


def _follow_needs(visit, v, m, needs, agencies):
    for index, (village_index, raised, met, category, agency, text) in enumerate(NEEDS):
        if village_index != v:
            continue
        if raised == m:
            needs[index] = Need.objects.create(
                kampung=visit.kampung,
                raised_at=visit,
                category=category,
                description=text,
                agency=agencies[agency],
                status=Need.Status.ASSIGNED,
                due_date=visit.date + datetime.timedelta(days=120),
                priority=Need.Priority.HIGH if category == "sarana" else Need.Priority.MEDIUM,
            )
        elif index in needs and needs[index].is_open and m > raised:
            status = Need.Status.MET if m == met else Need.Status.IN_PROGRESS
            services.need_record_progress(
                need=needs[index],
                visit=visit,
                status=status,
                by=None,
                note="Sudah diterima dan dipakai."
                if status == Need.Status.MET
                else "Sedang diproses instansi terkait.",
            )
