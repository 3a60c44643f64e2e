"""Browser tests: Playwright drives Chromium against pytest-django's live server.

They never skip. Chromium is found as tests/browser/chromium.py says; without one
the run stops before its first test, saying how to get a browser.
"""

from pathlib import Path

import pytest

from tests.conftest import make_user

from .chromium import ChromiumMissing, find_chromium

AXE = (Path(__file__).resolve().parent.parent / "js" / "axe.min.js").read_text()
PASSWORD = "kata-sandi-uji-123"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
#: The boxes of a profile whose input index passes (3.20) and whose four data sources
#: score 4, as tests.factories.ALL_INPUT and ALL_PROCESS tick them.
ORGANISED = (
    "Pokja terbentuk",
    "Pokja sudah dilatih",
    "APBD",
    "Dana desa/kelurahan",
    "PKB/PLKB pendamping ada",
    "Ada regulasi/kebijakan",
    *("BKB (Bina Keluarga Balita)", "BKR (Bina Keluarga Remaja)", "BKL (Bina Keluarga Lansia)"),
    *("UPPKA", "PIK-R", "Rumah DataKu"),
    *("PK dan pemutakhiran data", "Data rutin BKKBN", "Potensi desa", "Data sektoral"),
)
OPERATIONS = (
    "Rapat perencanaan kegiatan",
    "Rapat koordinasi dengan dinas/instansi terkait",
    "Sosialisasi kegiatan",
    "Monitoring dan evaluasi kegiatan",
    "Penyusunan laporan",
)


@pytest.fixture(scope="session")
def chromium_path(request):
    return request.config.stash[CHROMIUM]


CHROMIUM = pytest.StashKey[str]()


def pytest_collection_finish(session):
    """Find the browser once, before the first test: stop the run if there is none."""
    if any(item.path.is_relative_to(Path(__file__).parent) for item in session.items):
        try:
            session.config.stash[CHROMIUM] = find_chromium()
        except ChromiumMissing as missing:
            pytest.exit(str(missing), returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def viewport(request):
    return request.param


@pytest.fixture
def browse(page, live_server, viewport):
    """A page at the test's width that fails on any serious accessibility problem."""
    page.set_viewport_size(viewport)
    page.set_default_timeout(10_000)
    return Browser(page, live_server.url)


class Browser:
    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.checked = set()

    def go(self, path):
        self.page.goto(self.base_url + path)
        self.check_accessibility()

    def sign_in(self, username):
        self.page.goto(self.base_url + "/akun/masuk/")
        self.check_accessibility()
        self.page.get_by_label("Nama pengguna").fill(username)
        self.page.locator("#id_password").fill(PASSWORD)
        self.page.get_by_role("button", name="Masuk").click()
        self.page.wait_for_url(self.base_url + "/")

    def check_accessibility(self):
        """axe-core on the page: no serious or critical violation (once per URL)."""
        url = self.page.url.split("?")[0]
        if url in self.checked:
            return
        self.checked.add(url)
        self.page.evaluate(AXE)
        violations = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        assert violations == [], f"{url}: {violations}"

    def record_profile(self, month, ticked, **figures):
        """From a village page: its monthly profile of `month` (YYYY-MM) with the boxes
        labelled `ticked` and the figures by field name, saved."""
        self.page.get_by_role("link", name="Profil bulanan").click()
        self.page.get_by_label("Bulan").fill(month)
        for label in ticked:
            self.page.get_by_label(label, exact=True).check()
        for name, value in figures.items():
            self.page.locator(f"#id_{name}").fill(str(value))
        self.submit()

    def submit(self, name="Simpan"):
        self.page.get_by_role("button", name=name, exact=True).first.click()
        self.page.wait_for_load_state()
        self.check_accessibility()


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Live-server tests run outside a transaction: see tests/conftest.py."""


@pytest.fixture
def dinas_user(transactional_db):
    return make_user("dinas.pontianak", "dinas", cities=["61.71"])


@pytest.fixture
def dinas_pasuruan_user(transactional_db):
    return make_user("dinas.pasuruan", "dinas", cities=["35.75"])
