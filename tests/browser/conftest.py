"""Browser tests: Playwright drives Chromium against pytest-django's live server.

Chromium is found as tests/browser/chromium.py says. Without one, on a developer's
machine the browser tests are skipped, the rest run, and the run ends saying why;
in CI (the `CI` environment variable set, as `.ci/run` does) the run stops before
its first test instead.
"""

import os
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
SKIPPED = pytest.StashKey[tuple[int, str]]()


def pytest_collection_modifyitems(config, items):
    """Find the browser once, before the first test. Without one, stop the run in CI
    and skip the browser tests elsewhere."""
    browser_tests = [item for item in items if item.path.is_relative_to(Path(__file__).parent)]
    if not browser_tests:
        return
    try:
        config.stash[CHROMIUM] = find_chromium()
    except ChromiumMissing as missing:
        if os.environ.get("CI"):
            pytest.exit(f"CI: {missing}", returncode=pytest.ExitCode.USAGE_ERROR)
        config.stash[SKIPPED] = (len(browser_tests), str(missing))
        for item in browser_tests:
            item.add_marker(pytest.mark.skip(reason="no Chromium (see the end of the run)"))


def pytest_terminal_summary(terminalreporter, config):
    if SKIPPED in config.stash:
        count, missing = config.stash[SKIPPED]
        terminalreporter.write_line(
            f"{count} browser tests were skipped: {missing}", yellow=True, bold=True
        )


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
        # the dashboard, or the one village of a kelurahan officer
        self.page.wait_for_url(lambda url: "/akun/masuk/" not in url)

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

    def search(self, text):
        """Type into a person select's search box once the page's scripts, htmx last,
        are listening to it."""
        self.page.wait_for_load_state()
        self.page.get_by_placeholder("Ketik nama untuk mencari…").fill(text)

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
