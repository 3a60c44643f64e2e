"""Every page shows what the database holds now, however the data was written.

A matrix of each page that shows data × each way what it shows can change: the
app's forms and services, the Django admin's change and delete, an Excel import,
`QuerySet.update()` (a management command, the shell), a renamed region or agency.
It runs with production settings, as the benchmark serves the pages: the next
request shows the new value.
"""

import datetime
import itertools
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from coaching import services as coaching
from coaching.models import CoachingVisit, Need
from training import services as training
from training.models import Attendance, TrainingEvent
from villages.models import Agency, City, KampungKB, Kelurahan, Manager, Person, Pokja, PokjaMember

from .factories import make_event, make_person
from .forms import admin_change, admin_delete, submit
from .test_coaching import pontianak_kota

pytestmark = pytest.mark.django_db

APRIL = datetime.date(2018, 4, 1)
_serial = itertools.count(1)


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
    return SimpleNamespace(
        village=village,
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
    "person page": lambda w: w.person.get_absolute_url(),
    "Pokja page": lambda w: w.pokja.get_absolute_url(),
    "agency page": lambda w: w.agency.get_absolute_url(),
    "dashboard": lambda w: reverse("dashboard"),
    "event page": lambda w: reverse("training:detail", args=[w.event.pk]),
    "participants": lambda w: reverse("training:participants", args=[w.event.pk]),
    "attendance grid": lambda w: reverse("training:attendance", args=[w.event.pk]),
    "coverage matrix": lambda w: reverse("coaching:matrix") + "?mulai=2018-04",
    "needs list": lambda w: reverse("coaching:needs"),
    "monthly report": lambda w: reverse("coaching:report") + "?kecamatan=61.71.05&mulai=2018-04",
}


def fresh(label):
    return f"{label} Baru {next(_serial)}"


# Each writer changes one thing the pages show, one way, and returns the text the
# pages must show from then on. `w` is the world, `c` the signed-in dinas officer's
# client, `admin` the administrator's.


def village_name_by_form(w, c, admin):
    name = fresh("Kampung KB")
    submit(c, reverse("villages:edit", args=[w.village.pk]), name=name)
    return name


def village_name_in_admin(w, c, admin):
    name = fresh("Kampung KB")
    admin_change(admin, w.village, name=name)
    return name


def village_name_by_update(w, c, admin):
    name = fresh("Kampung KB")
    KampungKB.objects.filter(pk=w.village.pk).update(name=name)
    return name


def person_name_by_form(w, c, admin):
    name = fresh("Budi")
    submit(c, reverse("villages:person_edit", args=[w.person.pk]), name=name)
    return name


def person_name_in_admin(w, c, admin):
    name = fresh("Budi")
    admin_change(admin, w.person, name=name)
    return name


def person_name_by_update(w, c, admin):
    name = fresh("Budi")
    Person.objects.filter(pk=w.person.pk).update(name=name)
    return name


def agency_in_admin(w, c, admin):
    abbreviation = fresh("DINKES").replace(" ", "-")
    admin_change(admin, w.agency, abbreviation=abbreviation, name=abbreviation)
    return abbreviation


def agency_by_update(w, c, admin):
    abbreviation = fresh("DINKES").replace(" ", "-")
    Agency.objects.filter(pk=w.agency.pk).update(abbreviation=abbreviation, name=abbreviation)
    return abbreviation


def kelurahan_renamed(w, c, admin):
    name = fresh("Sungaibangkong")
    w.kelurahan.name = name
    w.kelurahan.save()
    return name


def kelurahan_by_update(w, c, admin):
    name = fresh("Sungaibangkong")
    Kelurahan.objects.filter(pk=w.kelurahan.pk).update(name=name)
    return name


def event_title_by_form(w, c, admin):
    title = fresh("Bimtek")
    submit(c, reverse("training:edit", args=[w.event.pk]), title=title)
    return title


def event_title_in_admin(w, c, admin):
    title = fresh("Bimtek")
    admin_change(admin, w.event, title=title)
    return title


def event_title_by_update(w, c, admin):
    title = fresh("Bimtek")
    TrainingEvent.objects.filter(pk=w.event.pk).update(title=title)
    return title


def _cell(w):
    return f'name="a-{w.registration.pk}-{w.attendance.day_id}"'


def attendance_by_grid(w, c, admin):
    response = c.post(reverse("training:attendance", args=[w.event.pk]), {_cell(w)[6:-1]: "sakit"})
    assert response.status_code == 302
    return '<option value="sakit" selected>'


def attendance_in_admin(w, c, admin):
    admin_change(admin, w.attendance, status="izin")
    return '<option value="izin" selected>'


def attendance_by_update(w, c, admin):
    Attendance.objects.filter(pk=w.attendance.pk).update(status="alpa")
    return '<option value="alpa" selected>'


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


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("data.xlsx", buffer.getvalue())


def village_imported(w, c, admin):
    name = fresh("Kampung KB Impor")
    url = reverse("villages:import", args=["kampung"])
    headings = ["nama", "kode_kelurahan", "rw", "tanggal_pencanangan"]
    headings += ["nomor_sk", "tanggal_sk", "penerbit_sk", "keterangan"]
    upload = _xlsx([headings, [name, "61.71.05.1002", "RW 01", "", "", "", "", ""]])
    assert c.post(url, {"file": upload}).context["preview"].is_valid
    assert c.post(url, {"confirm": "1"}).status_code == 302
    return name


#: What each page shows, and every way it can change.
SHOWN = {
    "village list": [
        village_name_by_form,
        village_name_in_admin,
        village_name_by_update,
        village_imported,
        kelurahan_renamed,
        kelurahan_by_update,
    ],
    "village page": [
        village_name_by_form,
        village_name_in_admin,
        village_name_by_update,
        person_name_by_form,
        person_name_in_admin,
        person_name_by_update,
        agency_in_admin,
        agency_by_update,
        kelurahan_renamed,
        kelurahan_by_update,
        event_title_by_form,
        event_title_in_admin,
        event_title_by_update,
        need_by_form,
        need_in_admin,
        need_by_update,
    ],
    "person page": [person_name_by_form, person_name_in_admin, person_name_by_update],
    "Pokja page": [
        person_name_by_form,
        person_name_in_admin,
        person_name_by_update,
        agency_in_admin,
        agency_by_update,
    ],
    "agency page": [agency_in_admin, agency_by_update],
    "dashboard": [agency_in_admin, agency_by_update],
    "event page": [event_title_by_form, event_title_in_admin, event_title_by_update],
    "participants": [
        person_name_by_form,
        person_name_in_admin,
        person_name_by_update,
        village_name_by_form,
        village_name_in_admin,
        village_name_by_update,
        event_title_by_update,
    ],
    "attendance grid": [
        person_name_by_form,
        person_name_in_admin,
        person_name_by_update,
        attendance_by_grid,
        attendance_in_admin,
        attendance_by_update,
        event_title_by_update,
    ],
    "coverage matrix": [village_name_by_form, village_name_in_admin, village_name_by_update],
    "needs list": [
        need_by_form,
        need_in_admin,
        need_by_update,
        village_name_by_update,
        agency_in_admin,
        agency_by_update,
    ],
    "monthly report": [visit_by_form, visit_in_admin, visit_by_update, village_name_by_update],
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
    assert shown in response.content.decode()


DELETED = {
    "manager": (
        lambda w: w.village.managers.get(),
        lambda w: w.village.get_absolute_url(),
        "<strong>Ketua</strong>: Budi Lama",
    ),
    "need": (lambda w: w.need, lambda w: reverse("coaching:needs"), "Kebutuhan lama"),
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
}


@pytest.mark.parametrize("kind", DELETED)
def test_a_row_deleted_in_the_admin_is_gone_from_its_page(client, admin_client, dinas, world, kind):
    row, url, shown = (part(world) if callable(part) else part for part in DELETED[kind])
    client.force_login(dinas)
    assert shown in client.get(url).content.decode()
    admin_delete(admin_client, row)
    assert shown not in client.get(url).content.decode()


def overdue_on_dashboard(client):
    return client.get(reverse("dashboard")).context["figures"].overdue_by_agency()


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
    assert client.get(reverse("dashboard")).context["village_count"] == 0
    village_imported(None, client, admin_client)
    assert client.get(reverse("dashboard")).context["village_count"] == 1
    admin_delete(admin_client, KampungKB.objects.get())
    assert client.get(reverse("dashboard")).context["village_count"] == 0


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
