"""The cast of the tests: one user per role, scoped as in the demo, and two villages.

- `dinas`: dinas officer of Pontianak; `dinas_pasuruan`: of Pasuruan
- `camat`: kecamatan viewer of Pontianak Kota
- `lurah_sungaibangkong` (Pontianak Kota) and `lurah_karangketug` (Pasuruan)
- `admin_user` comes from pytest-django.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import translation

from accounts.models import Profile
from accounts.roles import ensure_role_groups
from villages.models import Agency, City, District, Kelurahan
from villages.reference import load_agencies, load_regions

from .factories import make_village

#: What every signed-in page reads before its own data: the session; the user with
#: their profile; their groups; their profile's cities (`accounts.roles`).
SIGNED_IN = 4


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


@pytest.fixture(autouse=True)
def empty_cache(request):
    """Flushing the database between transactional tests spares the cache table (it is
    no model): start each such test with no figures cached by an earlier one."""
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
