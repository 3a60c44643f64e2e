"""Demo data for coaching: Pontianak's year of monthly visits after the 2018 bimtek.

Every Kampung KB of the six kecamatan is planned once a month from April 2018 to
March 2019. A few months are missed; needs are raised, routed to agencies,
followed at later visits and met (or still open at the end of the year). Beside
it, the same team's plan for the twelve months up to the day the demo is run,
visited up to that day.
"""

import datetime

from kampungkb.months import add_months, months_from
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


#: name, sex, position of the coaching team.
TEAM = [
    ("Yuniarlita", "P", "Ketua Panitia Bimtek, DP2KBP3A"),
    ("Musa", "L", "Sekretaris DP2KBP3A"),
    ("Hendra Saputra", "L", "PKB Kecamatan Pontianak Kota"),
    ("Siti Rahayu", "P", "PKB Kecamatan Pontianak Barat"),
]


def _team(city):
    return [
        Person.objects.create(name=name, sex=sex, position=position, city=city)
        for name, sex, position in TEAM
    ]


def seed():
    city = City.objects.get(code="61.71")
    if CoachingPlan.objects.filter(kampung__kelurahan__district__city=city).exists():
        return False
    services.plan_generate(districts=city.districts.all(), first_month=FIRST_MONTH)
    villages = _villages(city)
    agencies = {a.abbreviation: a for a in Agency.objects.all()}
    team = _team(city)
    months = months_from(FIRST_MONTH)
    needs = {}
    for m, month in enumerate(months):
        for v, village in enumerate(villages):
            if (v, m) in MISSED:
                continue
            plan = CoachingPlan.objects.get(kampung=village, month=month)
            status = (
                CoachingVisit.Status.VERIFIED
                if m < 10
                else CoachingVisit.Status.SUBMITTED
                if m == 10
                else CoachingVisit.Status.DRAFT
            )
            visit = _visit(plan, v, m, status, team, agencies)
            _follow_needs(visit, v, m, needs, agencies)
            if m == RECORDED_MONTH:
                _record_as_activity(visit)
    return True


def seed_this_year(today):
    """Pontianak's plan for the eleven months before `today`'s, that month and the
    next: every village visited on its planned day up to yesterday, except the
    second village last month; this month's visits still drafts, last month's
    submitted, older ones verified; one need raised at the first visit and past its
    due date. Returns False where it was there."""
    city = City.objects.get(code="61.71")
    this_month = today.replace(day=1)
    first_month = add_months(this_month, -11)
    plans = CoachingPlan.objects.filter(kampung__kelurahan__district__city=city)
    if plans.filter(month=this_month).exists():
        return False
    services.plan_generate(districts=city.districts.all(), first_month=first_month, months=13)
    villages = _villages(city)
    agencies = {a.abbreviation: a for a in Agency.objects.all()}
    team = [Person.objects.get(city=city, name=name, position=pos) for name, _, pos in TEAM]
    visits = []
    for v, village in enumerate(villages):
        for m, plan in enumerate(plans.filter(kampung=village, month__gte=first_month)):
            if plan.planned_date >= today or (v, plan.month) == (1, add_months(this_month, -1)):
                continue
            status = (
                CoachingVisit.Status.DRAFT
                if plan.month == this_month
                else CoachingVisit.Status.SUBMITTED
                if plan.month == add_months(this_month, -1)
                else CoachingVisit.Status.VERIFIED
            )
            visits.append(_visit(plan, v, m, status, team, agencies))
    if visits:
        first = min(visits, key=lambda visit: visit.date)
        Need.objects.create(
            kampung=first.kampung,
            raised_at=first,
            category="sarana",
            description="Lemari arsip untuk dokumen Pokja dan data Rumah DataKu",
            agency=agencies["DP2KBP3A"],
            status=Need.Status.ASSIGNED,
            due_date=max(first.date, today - datetime.timedelta(days=7)),
            priority=Need.Priority.HIGH,
        )
    return True


def _villages(city):
    villages = KampungKB.objects.filter(kelurahan__district__city=city)
    return list(villages.order_by("kelurahan__district__code"))


def _visit(plan, v, m, status, team, agencies):
    """The visit of a plan on its planned day, by the team's leads and the PKB of the
    village's kecamatan, with DP2KBP3A and one other agency present."""
    visit = CoachingVisit.objects.create(
        kampung=plan.kampung,
        plan=plan,
        date=plan.planned_date,
        topics=TOPICS[m % len(TOPICS)],
        findings=f"Kegiatan poktan berjalan; {3 + (v + m) % 4} kader aktif hadir.",
        recommendations="Lanjutkan pencatatan bulanan dan rapat operasional.",
        status=status,
    )
    visit.team.set(team[:2] + [team[2 + v % 2]])
    visit.agencies_present.set([agencies[ROTATING_AGENCIES[(v + m) % 6]], agencies["DP2KBP3A"]])
    return visit


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
