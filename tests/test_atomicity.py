"""Every service that writes more than one row runs in one transaction: when its last
write is refused, nothing of its earlier writes remains (tests/database.py)."""

import datetime

import pytest

from coaching import services as coaching
from coaching.forms import NeedProgressForm, NewNeedFormSet, VisitForm
from coaching.models import CoachingVisit, Need
from training import offline
from training import services as training
from training.models import Registration, TrainingEvent
from villages import levels
from villages import services as villages
from villages.models import (
    Agency,
    District,
    KampungKB,
    Manager,
    Pokja,
    PokjaMember,
)

from .database import fail_last_write
from .factories import (
    ALL_INPUT,
    ALL_PROCESS,
    make_activity,
    make_event,
    make_person,
    make_snapshot,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 27)


@pytest.fixture
def world(dinas, village_sungaibangkong):
    village = village_sungaibangkong
    person = make_person()
    Manager.objects.create(kampung=village, person=person, role="ketua", start_date=DAY)
    kelurahan = village.kelurahan
    pokja = Pokja.objects.create(
        level="kelurahan", city=kelurahan.district.city, district=kelurahan.district,
        kelurahan=kelurahan,
    )  # fmt: skip
    PokjaMember.objects.create(
        pokja=pokja, person=make_person(), agency=Agency.objects.get(abbreviation="PKK"),
        term_start=DAY,
    )  # fmt: skip
    event = make_event(capacity=1, days=(DAY, DAY + datetime.timedelta(days=1)))
    seated = training.registration_create(event=event, person=make_person(), category="pengelola")
    training.registration_create(event=event, person=make_person(), category="pengelola")
    visit = CoachingVisit.objects.create(kampung=village, date=DAY, status="submitted")
    Need.objects.create(kampung=village, category="data", description="Data PUS")
    make_person(name="Calon")  # who registers, or stands in
    return {
        "user": dinas,
        "village": village.pk,
        "event": event.pk,
        "seated": seated.pk,
        "visit": visit.pk,
        "pokja": pokja.pk,
    }


def _event(w):
    return TrainingEvent.objects.get(pk=w["event"])


def _village(w):
    return KampungKB.objects.get(pk=w["village"])


def _visit(w):
    return CoachingVisit.objects.get(pk=w["visit"])


def _visit_forms(w, data):
    visit = _visit(w)
    village = visit.kampung
    return {
        "visit_form": VisitForm(
            {"date": "2024-03-28", "version": visit.version, "findings": "Temuan"},
            instance=visit,
            user=w["user"],
            kampung=village,
        ),  # fmt: skip
        "progress_forms": [
            NeedProgressForm({f"need-{n.pk}-status": "met", f"need-{n.pk}-note": "Beres"}, need=n)
            for n in village.needs.all()
        ],
        "new_need_forms": NewNeedFormSet(data, prefix="new"),
    }


#: Each service that writes rows in more than one statement, by name: a function of the
#: world that prepares what the service needs (outside the change) and returns the
#: change itself. A service of one statement (`plan_generate`'s bulk insert, linking an
#: event's activity) is whole or nothing by the database alone.
SERVICES = {}


def service(prepare):
    SERVICES[prepare.__name__] = prepare
    return prepare


@service
def village_override_level(w):
    village = _village(w)
    return lambda: villages.village_override_level(
        village=village, level="mandiri", reason="Verifikasi", by=w["user"]
    )


@service
def record_activity(w):
    agencies = Agency.objects.filter(abbreviation__in=["DINKES", "PKK"])
    return lambda: villages.record_activity(
        kampung=_village(w), agencies=agencies, title="Kelas BKB", date=DAY, place="Balai",
        family_function="reproduksi",
    )  # fmt: skip


@service
def judge(w):
    make_snapshot(_village(w), **ALL_INPUT, **ALL_PROCESS)
    KampungKB.objects.filter(pk=w["village"]).update(computed_level="dasar")  # no judging
    return lambda: levels.judge([w["village"]])


@service
def registration_create(w):
    person = make_person()
    return lambda: training.registration_create(
        event=_event(w), person=person, category="pengelola"
    )


@service
def registration_cancel(w):  # and the first waiting moves up
    return lambda: training.registration_cancel(registration=_registration(w))


@service
def registration_substitute(w):
    substitute = make_person()
    return lambda: training.registration_substitute(
        registration=_registration(w), substitute=substitute
    )


@service
def registrations_bulk_managers(w):
    districts = District.objects.filter(code="61.71.05")
    return lambda: training.registrations_bulk_managers(event=_event(w), districts=districts)


@service
def registrations_bulk_pokja(w):
    pokja = Pokja.objects.filter(pk=w["pokja"])
    return lambda: training.registrations_bulk_pokja(event=_event(w), pokja_list=pokja)


@service
def event_set_days(w):  # drops the first day, adds two
    first, last = DAY + datetime.timedelta(days=1), DAY + datetime.timedelta(days=3)
    return lambda: training.event_set_days(event=_event(w), first_day=first, last_day=last)


@service
def event_copy_as_next_phase(w):
    districts = District.objects.filter(code="61.71.01")
    return lambda: training.event_copy_as_next_phase(
        event=_event(w), districts=districts, first_day=DAY, last_day=DAY, code="TAHAP-2"
    )


@service
def attendance_save_grid(w):
    marks = {(w["seated"], day.pk): "hadir" for day in _event(w).days.all()}
    return lambda: training.attendance_save_grid(event=_event(w), marks=marks, by=w["user"])


@service
def certificates_issue(w):
    event = _event(w)
    training.attendance_save_grid(
        event=event, marks={(w["seated"], event.days.first().pk): "hadir"}, by=None
    )
    return lambda: training.certificates_issue(event=_event(w))


@service
def offline_receive(w):
    marks = [
        offline.Mark(
            id=f"00000000-0000-0000-0000-00000000000{n}",
            made_at=datetime.datetime(2024, 3, 27, 8, n, tzinfo=datetime.UTC),
            seen=None,
            registration=w["seated"],
            day=day.pk,
            status="hadir",
        )  # fmt: skip
        for n, day in enumerate(_event(w).days.all())
    ]
    return lambda: offline.receive(event=_event(w), marks=marks, by=w["user"])


@service
def visit_save(w):
    def save():
        new_need = {
            "new-TOTAL_FORMS": "1", "new-INITIAL_FORMS": "0", "new-0-category": "data",
            "new-0-description": "Data baru", "new-0-priority": "sedang",
        }  # fmt: skip
        forms = _visit_forms(w, new_need)
        assert forms["visit_form"].is_valid() and forms["new_need_forms"].is_valid()
        assert all(form.is_valid() for form in forms["progress_forms"])
        coaching.visit_save(**forms, by=w["user"])

    return save


@service
def need_record_progress(w):
    return lambda: coaching.need_record_progress(
        need=Need.objects.get(), visit=_visit(w), status="met", note="Beres", by=w["user"]
    )


@service
def visit_verify(w):
    return lambda: coaching.visit_verify(visit=_visit(w), by=w["user"])


@service
def visit_reopen(w):
    return lambda: coaching.visit_reopen(visit=_visit(w), reason="Ulang", by=w["user"])


@service
def link_visit_activity(w):
    activity = make_activity(_village(w))
    return lambda: coaching.link_visit_activity(_visit(w), activity)


def _registration(w):
    return Registration.objects.get(pk=w["seated"])


@pytest.mark.parametrize("service", SERVICES.values(), ids=SERVICES.keys())
def test_a_service_whose_last_write_fails_leaves_nothing_behind(world, service):
    writes, before, after = fail_last_write(lambda: service(world))
    assert writes >= 2  # a service of several rows, or the test proves nothing
    assert after == before
