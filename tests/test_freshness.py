"""Every page shows what the database holds now, however the data was written.

A matrix of each page that shows data × each way what it shows can change: the
app's forms and services, the Django admin's change and delete, an Excel import,
`QuerySet.update()` (a management command, the shell), a renamed region or agency.
It runs with production settings, as the benchmark serves the pages: the next
request shows the new value.
"""

import datetime
import itertools
import re
import uuid
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from coaching import services as coaching
from coaching.models import CoachingVisit, Need
from coaching.services import Cell
from training import services as training
from training.models import Attendance
from villages.models import (
    Agency,
    City,
    District,
    KampungKB,
    Manager,
    Person,
    Pokja,
    PokjaMember,
)

from .factories import make_activity, make_event, make_person
from .forms import admin_change, admin_delete, submit
from .test_coaching import pontianak_kota
from .workbooks import confirm, export, upload

#: Outside a transaction, as a worker serves pages: every read may come from the query
#: cache (django-cachalot), and every write must still show at the next request.
pytestmark = pytest.mark.django_db(transaction=True)

APRIL = datetime.date(2018, 4, 1)
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Each test ends in a flush: see tests/conftest.py."""


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def world(village_sungaibangkong, admin_user):
    """One of everything the pages show, in Pontianak Kota, around one village."""
    village = village_sungaibangkong
    agency = Agency.objects.get(abbreviation="DINKES")
    person = make_person(name="Budi Lama", kelurahan=village.kelurahan)
    Manager.objects.create(
        kampung=village, person=person, role="ketua", start_date=datetime.date(2018, 1, 2)
    )
    kelurahan = village.kelurahan
    pokja = Pokja.objects.create(
        level="kelurahan", city=village.city, district=kelurahan.district, kelurahan=kelurahan
    )
    PokjaMember.objects.create(
        pokja=pokja, person=person, agency=agency, term_start=datetime.date(2018, 1, 2)
    )
    event = make_event(title="Bimtek Lama", days=(datetime.date(2018, 3, 27),))
    registration = training.registration_create(
        event=event, person=person, category="pengelola", kampung=village
    )
    attendance = Attendance.objects.create(
        registration=registration, day=event.days.get(), status="hadir", recorded_by=admin_user
    )
    coaching.plan_generate(districts=pontianak_kota(), first_month=APRIL, months=1)
    visit = CoachingVisit.objects.create(
        kampung=village, date=datetime.date(2018, 4, 9), findings="Temuan lama"
    )
    need = Need.objects.create(
        kampung=village,
        category="data",
        description="Kebutuhan lama",
        agency=agency,
        due_date=datetime.date(2020, 1, 1),
    )
    activity = make_activity(village, agencies=["DINKES"], title="Kelas lama")
    return SimpleNamespace(
        village=village,
        activity=activity,
        kelurahan=kelurahan,
        agency=agency,
        person=person,
        pokja=pokja,
        event=event,
        registration=registration,
        attendance=attendance,
        visit=visit,
        need=need,
    )


PAGES = {
    "village list": lambda w: reverse("villages:list"),
    "village page": lambda w: w.village.get_absolute_url(),
    "activity page": lambda w: w.activity.get_absolute_url(),
    "activity list": lambda w: reverse("villages:activity_list", args=[w.village.pk]),
    "person page": lambda w: w.person.get_absolute_url(),
    "Pokja page": lambda w: w.pokja.get_absolute_url(),
    "agency page": lambda w: w.agency.get_absolute_url(),
    "dashboard": lambda w: reverse("overview:dashboard"),
    "event page": lambda w: reverse("training:detail", args=[w.event.pk]),
    "participants": lambda w: reverse("training:participants", args=[w.event.pk]),
    "attendance grid": lambda w: reverse("training:attendance", args=[w.event.pk]),
    "coverage matrix": lambda w: reverse("coaching:matrix") + "?mulai=2018-04",
    "needs list": lambda w: reverse("coaching:needs"),
    "monthly report": lambda w: reverse("coaching:report") + "?kecamatan=61.71.05&mulai=2018-04",
}


def fresh(label):
    """A new value, with markup-like text in it that every page must show escaped."""
    return f"{label} <b>&Baru</b> {next(_serial)}"


# Each writer changes one thing the pages show, one way, and returns the text the
# pages must show from then on. It is called with the world, the signed-in dinas
# officer's client and the administrator's.


def writers(thing, field, label, edit=None):
    """The writers of `field` of the world's `thing`: by the app's form at `edit`
    (a URL name taking its id) where there is one, in the admin, and by update()."""

    def by_form(w, c, admin):
        value = fresh(label)
        submit(c, reverse(edit, args=[getattr(w, thing).pk]), **{field: value})
        return value

    def in_admin(w, c, admin):
        value = fresh(label)
        admin_change(admin, getattr(w, thing), **{field: value})
        return value

    def by_update(w, c, admin):
        value = fresh(label)
        row = getattr(w, thing)
        type(row).objects.filter(pk=row.pk).update(**{field: value})
        return value

    made = {"by_form": by_form, "in_admin": in_admin, "by_update": by_update}
    if edit is None:
        del made["by_form"]
    for way, writer in made.items():
        writer.__name__ = f"{thing}_{field}_{way}"
    return SimpleNamespace(**made)


village_name = writers("village", "name", "Kampung KB", "villages:edit")
person_name = writers("person", "name", "Budi", "villages:person_edit")
agency_name = writers("agency", "abbreviation", "DK")  # 20 characters at most
kelurahan_name = writers("kelurahan", "name", "Sungaibangkong")
event_title = writers("event", "title", "Bimtek", "training:edit")
need_description = writers("need", "description", "Kebutuhan", "coaching:need_edit")
visit_findings = writers("visit", "findings", "Temuan", "coaching:visit_edit")
activity_title = writers("activity", "title", "Kelas BKB", "villages:activity_edit")


def kelurahan_renamed(w, c, admin):
    name = fresh("Sungaibangkong")
    w.kelurahan.name = name
    w.kelurahan.save()
    return name


def _cell(w):
    return f'name="a-{w.registration.pk}-{w.attendance.day_id}"'


def attendance_by_grid(w, c, admin):
    response = c.post(reverse("training:attendance", args=[w.event.pk]), {_cell(w)[6:-1]: "sakit"})
    assert response.status_code == 302
    return mark_safe('<option value="sakit" selected>')  # markup the page draws


def attendance_in_admin(w, c, admin):
    admin_change(admin, w.attendance, status="izin")
    return mark_safe('<option value="izin" selected>')  # markup the page draws


def attendance_by_update(w, c, admin):
    Attendance.objects.filter(pk=w.attendance.pk).update(status="alpa")
    return mark_safe('<option value="alpa" selected>')  # markup the page draws


def attendance_from_a_phone(w, c, admin):
    mark = {
        "id": str(uuid.uuid4()),
        "made_at": timezone.now().isoformat(),
        "seen": w.attendance.recorded_at.isoformat(),
        "registration": w.registration.pk,
        "day": w.attendance.day_id,
        "status": "terlambat",
    }
    url = reverse("training:attendance_receive", args=[w.event.pk])
    response = c.post(url, {"marks": [mark]}, content_type="application/json")
    assert response.json()["receipts"][0]["outcome"] == "tersimpan"
    return mark_safe('<option value="terlambat" selected>')  # markup the page draws


def need_by_form(w, c, admin):
    description = fresh("Kebutuhan")
    submit(c, reverse("coaching:need_edit", args=[w.need.pk]), description=description)
    return description


def need_in_admin(w, c, admin):
    description = fresh("Kebutuhan")
    admin_change(admin, w.need, description=description)
    return description


def need_by_update(w, c, admin):
    description = fresh("Kebutuhan")
    Need.objects.filter(pk=w.need.pk).update(description=description)
    return description


def visit_by_form(w, c, admin):
    findings = fresh("Temuan")
    submit(c, reverse("coaching:visit_edit", args=[w.visit.pk]), findings=findings)
    return findings


def visit_in_admin(w, c, admin):
    findings = fresh("Temuan")
    admin_change(admin, w.visit, findings=findings)
    return findings


def visit_by_update(w, c, admin):
    findings = fresh("Temuan")
    CoachingVisit.objects.filter(pk=w.visit.pk).update(findings=findings)
    return findings


def _matrix_cell(state):
    return mark_safe(f'<td class="{state}" title=')  # markup the matrix draws


def visit_recorded_by_form(w, c, admin):
    submit(c, reverse("coaching:visit_create", args=[w.village.pk]), date="2018-05-14")
    done = (
        f'<td class="done" title="{Cell.DONE.label}"><span aria-hidden="true">K</span>'
        f'<span class="visually-hidden">{Cell.DONE.label}</span></td>'
    )
    return mark_safe(done + done)  # April's visit, then May's, as the matrix draws them


def visit_verified_in_admin(w, c, admin):
    admin_change(admin, w.visit, status=CoachingVisit.Status.VERIFIED)
    return _matrix_cell("verified")


def visit_verified_by_update(w, c, admin):
    CoachingVisit.objects.filter(pk=w.visit.pk).update(status=CoachingVisit.Status.VERIFIED)
    return _matrix_cell("verified")


def kelurahan_moved_in_the_city(w, c, admin):
    """Sungaibangkong moves to Pontianak Selatan: its village's plan counts there now."""
    selatan = District.objects.get(code="61.71.01")
    admin_change(admin, w.kelurahan, district=selatan.pk)
    return mark_safe(f"<tr><td>{selatan.name}</td><td>1</td><td>0</td><td>1</td>")  # one missed


def village_imported(w, c, admin):
    name = fresh("Kampung KB Impor")
    sheet = export(c, "kampung")
    sheet.add(Kode_kelurahan="61.71.05.1002", Nama=name, Status="Aktif")
    assert upload(c, "kampung", sheet).context["preview"].can_be_saved
    assert confirm(c, "kampung").status_code == 302
    return name


#: What each page shows, and every way it can change.
SHOWN = {
    "village list": [
        village_name.by_form,
        village_name.in_admin,
        village_name.by_update,
        village_imported,
        kelurahan_renamed,
        kelurahan_name.by_update,
    ],
    "village page": [
        village_name.by_form,
        village_name.in_admin,
        village_name.by_update,
        person_name.by_form,
        person_name.in_admin,
        person_name.by_update,
        agency_name.in_admin,
        agency_name.by_update,
        kelurahan_renamed,
        kelurahan_name.by_update,
        event_title.by_form,
        event_title.in_admin,
        event_title.by_update,
        need_description.by_form,
        need_description.in_admin,
        need_description.by_update,
        activity_title.by_form,
        activity_title.in_admin,
        activity_title.by_update,
    ],
    "activity page": [
        activity_title.by_form,
        activity_title.in_admin,
        activity_title.by_update,
        agency_name.in_admin,
        agency_name.by_update,
    ],
    "activity list": [
        activity_title.by_form,
        activity_title.in_admin,
        activity_title.by_update,
        agency_name.in_admin,
        agency_name.by_update,
        village_name.by_update,
    ],
    "person page": [person_name.by_form, person_name.in_admin, person_name.by_update],
    "Pokja page": [
        person_name.by_form,
        person_name.in_admin,
        person_name.by_update,
        agency_name.in_admin,
        agency_name.by_update,
    ],
    "agency page": [agency_name.in_admin, agency_name.by_update],
    "dashboard": [agency_name.in_admin, agency_name.by_update],
    "event page": [event_title.by_form, event_title.in_admin, event_title.by_update],
    "participants": [
        person_name.by_form,
        person_name.in_admin,
        person_name.by_update,
        village_name.by_form,
        village_name.in_admin,
        village_name.by_update,
        event_title.by_update,
    ],
    "attendance grid": [
        person_name.by_form,
        person_name.in_admin,
        person_name.by_update,
        attendance_by_grid,
        attendance_in_admin,
        attendance_by_update,
        attendance_from_a_phone,
        event_title.by_update,
    ],
    "coverage matrix": [
        village_name.by_form,
        village_name.in_admin,
        village_name.by_update,
        visit_recorded_by_form,
        visit_verified_in_admin,
        visit_verified_by_update,
        kelurahan_moved_in_the_city,
    ],
    "needs list": [
        need_description.by_form,
        need_description.in_admin,
        need_description.by_update,
        village_name.by_update,
        agency_name.in_admin,
        agency_name.by_update,
    ],
    "monthly report": [
        visit_findings.by_form,
        visit_findings.in_admin,
        visit_findings.by_update,
        village_name.by_update,
    ],
}

CASES = [(page_name, writer) for page_name, writers in SHOWN.items() for writer in writers]


@pytest.mark.parametrize(
    "page_name, writer", CASES, ids=[f"{page}-{writer.__name__}" for page, writer in CASES]
)
def test_the_next_request_shows_the_change(client, admin_client, dinas, world, page_name, writer):
    client.force_login(dinas)
    url = PAGES[page_name](world)
    assert client.get(url).status_code == 200  # drawn, and any figures cached
    shown = writer(world, client, admin_client)
    response = client.get(url)
    assert response.status_code == 200
    assert markup(conditional_escape(shown)) in markup(response.content.decode())


def markup(html):
    """`html` without the whitespace between its tags, which no reader sees."""
    return re.sub(r">\s+<", "><", html)


DELETED = {
    "manager": (
        lambda w: w.village.managers.get(),
        lambda w: w.village.get_absolute_url(),
        "<strong>Ketua</strong>: Budi Lama",
    ),
    "need": (lambda w: w.need, lambda w: reverse("coaching:needs"), "Kebutuhan lama"),
    "activity": (lambda w: w.activity, lambda w: w.village.get_absolute_url(), "Kelas lama"),
    "attendance": (
        lambda w: w.attendance,
        lambda w: reverse("training:attendance", args=[w.event.pk]),
        '<option value="hadir" selected>',
    ),
    "visit": (
        lambda w: w.visit,
        lambda w: reverse("coaching:report") + "?kecamatan=61.71.05&mulai=2018-04",
        "Temuan lama",
    ),
    "visit of the matrix": (lambda w: w.visit, PAGES["coverage matrix"], _matrix_cell("done")),
    "plan": (
        lambda w: w.village.coaching_plans.get(),
        PAGES["coverage matrix"],
        lambda w: mark_safe(f"<tr><td>{w.kelurahan.district.name}</td><td>1</td>"),
    ),
}


@pytest.mark.parametrize("kind", DELETED)
def test_a_row_deleted_in_the_admin_is_gone_from_its_page(client, admin_client, dinas, world, kind):
    row, url, shown = (part(world) if callable(part) else part for part in DELETED[kind])
    client.force_login(dinas)
    assert shown in client.get(url).content.decode()
    admin_delete(admin_client, row)
    assert shown not in client.get(url).content.decode()


def overdue_on_dashboard(client):
    return client.get(reverse("overview:dashboard")).context["figures"].overdue_by_agency


def test_the_dashboard_counts_follow_every_write_of_needs(client, admin_client, dinas, world):
    client.force_login(dinas)
    assert [row["n"] for row in overdue_on_dashboard(client)] == [1]
    Need.objects.filter(pk=world.need.pk).update(status=Need.Status.MET)
    assert overdue_on_dashboard(client) == []
    admin_change(admin_client, world.need, status=Need.Status.IDENTIFIED)
    assert [row["n"] for row in overdue_on_dashboard(client)] == [1]
    admin_delete(admin_client, world.need)
    assert overdue_on_dashboard(client) == []


def test_the_village_count_follows_an_import_and_an_admin_delete(client, admin_client, dinas):
    client.force_login(dinas)
    assert client.get(reverse("overview:dashboard")).context["village_count"] == 0
    village_imported(None, client, admin_client)
    assert client.get(reverse("overview:dashboard")).context["village_count"] == 1
    admin_delete(admin_client, KampungKB.objects.get())
    assert client.get(reverse("overview:dashboard")).context["village_count"] == 0


def test_the_people_count_follows_a_bulk_insert_and_a_move(client, dinas):
    client.force_login(dinas)
    count = client.get(reverse("villages:person_list")).context["count"]
    Person.objects.bulk_create([Person(name="Massal", sex="P", city=dinas.profile.cities.get())])
    assert client.get(reverse("villages:person_list")).context["count"] == count + 1
    Person.objects.filter(name="Massal").update(city=City.objects.get(code="35.75"))
    assert client.get(reverse("villages:person_list")).context["count"] == count


def test_a_camat_removed_from_a_kecamatan_gets_404_at_once(client, admin_client, camat, world):
    client.force_login(camat)
    assert client.get(world.village.get_absolute_url()).status_code == 200
    admin_change(admin_client, camat, **{"profile-0-districts": []})
    assert client.get(world.village.get_absolute_url()).status_code == 404
