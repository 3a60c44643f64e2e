"""The cast of the tests: one user per role, scoped as in the demo, and two villages.

- `dinas`: dinas officer of Pontianak; `dinas_pasuruan`: of Pasuruan
- `camat`: kecamatan viewer of Pontianak Kota
- `lurah_sungaibangkong` (Pontianak Kota) and `lurah_karangketug` (Pasuruan)
- `admin_user` comes from pytest-django.
- `demo`: the demo (`manage.py demo`), seeded once for a module that asks for it.
"""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from accounts.models import Profile
from accounts.roles import ensure_role_groups
from coaching.models import CoachingVisit, Need
from training.models import Registration
from villages.models import Agency, City, District, Kelurahan, Manager, Pokja, PokjaMember
from villages.reference import load_agencies, load_regions

from .factories import (
    make_activity,
    make_event,
    make_person,
    make_photo,
    make_snapshot,
    make_village,
)

#: What every signed-in page reads before its own data: the session; the user with
#: their profile; their groups (`accounts.roles`).
SIGNED_IN = 3


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs half a second per user; tests create hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Photos uploaded by a test land in its own folder, gone with it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def default_language():
    """A request in English leaves its thread in English: the next test starts in the
    app's own language, as the next request does."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def query_cache(tmp_path_factory):
    """Each run keeps its query results (django-cachalot) in a folder of its own, as a
    new server does, not in the checkout's."""
    folder = tmp_path_factory.mktemp("query-cache")
    queries = {**settings.CACHES["queries"], "LOCATION": folder}
    with override_settings(CACHES={**settings.CACHES, "queries": queries}):
        yield


@pytest.fixture(autouse=True)
def empty_cache(request):
    """Flushing the database between transactional tests spares the cache table (it is
    no model): start each such test with no certificate-check misses counted by an
    earlier one."""
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        cache.clear()


def make_user(username, group, *, cities=(), districts=(), kelurahan=()):
    user = User.objects.create_user(username, password="kata-sandi-uji-123")
    user.groups.add(Group.objects.get(name=group))
    profile = Profile.objects.create(user=user)
    profile.cities.set(City.objects.filter(code__in=cities))
    profile.districts.set(District.objects.filter(code__in=districts))
    profile.kelurahan.set(Kelurahan.objects.filter(code__in=kelurahan))
    return user


@pytest.fixture
def reference_data(transactional_db):
    """Tests outside a transaction end in a flush, which also empties what the data
    migrations loaded: such tests load it again, as the migrations do."""
    load_regions(City, District, Kelurahan)
    load_agencies(Agency)
    ensure_role_groups(Group)


@pytest.fixture
def dinas(db):
    return make_user("dinas.pontianak", "dinas", cities=["61.71"])


@pytest.fixture
def dinas_pasuruan(db):
    return make_user("dinas.pasuruan", "dinas", cities=["35.75"])


@pytest.fixture
def camat(db):
    return make_user("camat.pontianakkota", "kecamatan", districts=["61.71.05"])


@pytest.fixture
def lurah_sungaibangkong(db):
    return make_user("lurah.sungaibangkong", "kelurahan", kelurahan=["61.71.05.1001"])


@pytest.fixture
def lurah_karangketug(db):
    return make_user("lurah.karangketug", "kelurahan", kelurahan=["35.75.01.1001"])


@pytest.fixture
def village_sungaibangkong(db):
    return make_village("61.71.05.1001", name="Kampung KB Bangkong Berseri")


@pytest.fixture
def village_karangketug(db):
    return make_village("35.75.01.1001", name="Kampung KB Karangketug Berseri")


@pytest.fixture
def users(admin_user, dinas, camat, lurah_sungaibangkong, lurah_karangketug):
    """Every role by name, for the permission matrix."""
    return {
        "anonymous": None,
        "admin": admin_user,
        "dinas": dinas,
        "camat": camat,
        "lurah_sb": lurah_sungaibangkong,
        "lurah_kk": lurah_karangketug,
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seeded in a transaction rolled back after the module's last test; each test
    runs in a savepoint inside it, so what one changes the next does not see."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", no_serve=True, stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def world(village_sungaibangkong):
    """One record of every kind the URLs name, in Sungaibangkong: the permission
    matrix's, and every form's. Keyed as `tests.test_permissions.RULES` asks."""
    village = village_sungaibangkong
    person = make_person(kelurahan=village.kelurahan)
    pokja = Pokja.objects.create(
        level=Pokja.Level.KELURAHAN,
        city=village.kelurahan.district.city,
        district=village.kelurahan.district,
        kelurahan=village.kelurahan,
    )
    agency = Agency.objects.get(abbreviation="DINKES")
    start = datetime.date(2024, 1, 1)
    event = make_event(districts=["61.71.05"])
    registration = Registration.objects.create(
        event=event, person=person, category="pengelola", kampung=village
    )
    activity = make_activity(village, agencies=["DINKES"])
    visit = CoachingVisit.objects.create(kampung=village, date=start)
    need = Need.objects.create(kampung=village, category="data", description="Data PUS")
    snapshot = make_snapshot(village)
    return {
        "snapshot": {"pk": village.pk, "snapshot_pk": snapshot.pk},
        "village_pk": {"village_pk": village.pk},
        "visit": {"pk": visit.pk},
        "need": {"pk": need.pk},
        "event": {"pk": event.pk},
        "registration": {"pk": event.pk, "reg_pk": registration.pk},
        "village": {"pk": village.pk},
        "activity": {"pk": activity.pk},
        "photo": {"pk": make_photo(activity).pk},
        "event_village": {"pk": event.pk, "village_pk": village.pk},
        "person": {"pk": person.pk},
        "manager": {
            "pk": village.pk,
            "manager_pk": Manager.objects.create(
                kampung=village, person=person, role="ketua", start_date=start
            ).pk,
        },
        "pokja": {"pk": pokja.pk},
        "pokja_member": {
            "pk": pokja.pk,
            "member_pk": PokjaMember.objects.create(
                pokja=pokja, person=person, agency=agency, term_start=start
            ).pk,
        },
        "agency": {"pk": agency.pk},
        "import_kind": {"kind": "kampung"},
        "calendar_token": {"token": "tidak-ada"},  # a token nobody holds
    }
