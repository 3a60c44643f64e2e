"""The check-in page and the attendance grid in a hall whose signal comes and goes:
marks made without signal wait on the phone and reach the server once, whatever
happens in between (a server change, a replay, an expired session, a server in
trouble, a sign-out)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.factories import make_event, make_person
from training import services
from training.models import Attendance

from .conftest import DESKTOP, PHONE, Browser

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "idbKeyval.createStore('kampungkb-offline', 'marks')"
RECEIVE = "**/kehadiran/kirim/"
NO_SIGNAL_URLS = "tests.browser.no_signal_urls"
PRESENT = {"hadir", "terlambat"}


@pytest.fixture
def hall(dinas_user):
    """A two-day bimtek from today with eight participants, A to H."""
    today = timezone.localdate()
    event = make_event(days=(today, today + datetime.timedelta(days=1)))
    people = [
        services.registration_create(
            event=event, person=make_person(name=f"Peserta {letter}"), category="camat"
        )
        for letter in "ABCDEFGH"
    ]
    return event, people


@pytest.fixture
def phone(page, live_server):
    page.set_viewport_size(PHONE)
    page.set_default_timeout(10_000)
    return Browser(page, live_server.url)


class Signal:
    """The hall's signal. Lost, it is cut at both ends: the phone's network is emulated
    offline and its upload aborted, and the server refuses the upload as well. Chromium's
    emulation and Playwright's routing can miss a service worker that starts after them
    (once, a full run saw five marks stored while the phone was offline)."""

    def __init__(self, context, settings):
        self.context = context
        self.settings = settings
        self.urls = settings.ROOT_URLCONF

    def lose(self):
        self.context.set_offline(True)
        self.context.route(RECEIVE, lambda route: route.abort("internetdisconnected"))
        self.server_in_trouble()

    def restore(self):
        self.server_back()
        self.context.unroute(RECEIVE)
        self.context.set_offline(False)

    def server_in_trouble(self):
        """The server's end alone: the upload answers 503."""
        self.settings.ROOT_URLCONF = NO_SIGNAL_URLS

    def server_back(self):
        self.settings.ROOT_URLCONF = self.urls


@pytest.fixture
def signal(phone, settings):
    return Signal(phone.page.context, settings)


def open_kept(phone, path):
    """Open a page online and wait until the phone keeps the event for offline use."""
    phone.go(path)
    expect(phone.page.locator("#offline[data-kept]")).to_have_count(1)


def check_in(page, registration):
    page.get_by_label("Kode pada kartu peserta").fill(registration.checkin_code)
    page.get_by_role("button", name="Catat hadir").click()
    expect(page.get_by_text(f"{registration.person.name}: dicatat.")).to_be_visible()


def cell(page, registration, day):
    return page.locator(f'select[name="a-{registration.pk}-{day.pk}"]')


def queued(page):
    return page.evaluate(f"async () => idbKeyval.values({QUEUE})")


def attendance_as_stored():
    return sorted(
        Attendance.objects.values_list("registration", "day", "status", "recorded_at")
    ), Attendance.history.count()


def test_marks_made_without_signal_reach_the_server_once(phone, hall, signal):
    event, people = hall
    today, tomorrow = event.days.order_by("date")
    a, b, c, d, e, f, g, _h = people
    officer = make_user("dinas.kedua", "dinas", cities=["61.71"])
    page = phone.page
    phone.sign_in("dinas.pontianak")
    open_kept(phone, f"/pelatihan/{event.pk}/check-in/")

    signal.lose()
    page.reload()
    expect(page.get_by_text("Tanpa sinyal")).to_be_visible()
    for registration in (a, b, c, d, e):
        check_in(page, registration)
    expect(page.get_by_text("5 belum terkirim")).to_be_visible()
    page.goto(f"{phone.base_url}/pelatihan/{event.pk}/peserta/")  # never kept
    expect(page.get_by_text("Tidak ada sinyal, dan halaman ini belum disimpan")).to_be_visible()

    # another officer, online, marks F absent before this phone marks F excused
    services.attendance_save_grid(event=event, marks={(f.pk, today.pk): "alpa"}, by=officer)
    page.goto(f"{phone.base_url}/pelatihan/{event.pk}/kehadiran/")  # the kept copy
    expect(cell(page, a, today)).to_have_value("hadir")  # checked in here, not yet sent
    cell(page, f, today).select_option("izin")
    cell(page, g, today).select_option("sakit")
    cell(page, a, tomorrow).select_option("izin")
    page.get_by_role("button", name="Simpan kehadiran").first.click()
    expect(page.get_by_text("8 belum terkirim")).to_be_visible()
    # … and marks G present after this phone marked G sick
    services.attendance_save_grid(event=event, marks={(g.pk, today.pk): "hadir"}, by=officer)
    sent_once = queued(page)
    assert len(sent_once) == 8
    assert Attendance.objects.filter(recorded_by__username="dinas.pontianak").count() == 0

    signal.restore()
    expect(page.get_by_text("Semua tanda terkirim.")).to_be_visible()
    assert queued(page) == []
    stored = {
        (r, day): status
        for r, day, status in Attendance.objects.values_list("registration", "day", "status")
    }
    for registration in (a, b, c, d, e):
        assert stored.pop((registration.pk, today.pk)) in PRESENT
    assert stored == {
        (f.pk, today.pk): "izin",  # the phone's mark came later: it stands, and is reported
        (g.pk, today.pk): "hadir",  # the officer's came later: it stands, and is reported
        (a.pk, tomorrow.pk): "izin",
    }
    expect(page.get_by_text("Peserta F").filter(has_text="Menggantikan Alpa")).to_be_visible()
    expect(page.get_by_text("Peserta G").filter(has_text="tetap Hadir")).to_be_visible()
    expect(cell(page, g, today)).to_have_value("hadir")

    before = attendance_as_stored()
    page.evaluate(
        f"async (marks) => idbKeyval.setMany(marks.map((m) => [m.id, m]), {QUEUE})", sent_once
    )
    page.reload()  # the same queue sent again
    expect(page.get_by_text("Semua tanda terkirim.")).to_be_visible()
    expect(page.get_by_text("sudah diterima sebelumnya")).to_have_count(8)
    assert attendance_as_stored() == before


def test_a_queue_waits_through_an_expired_session_until_sign_in(phone, hall, signal):
    event, (a, *_others) = hall
    page = phone.page
    phone.sign_in("dinas.pontianak")
    open_kept(phone, f"/pelatihan/{event.pk}/check-in/")
    signal.lose()
    check_in(page, a)
    Session.objects.all().delete()  # the working day ended while the hall had no signal

    signal.restore()
    expect(page.get_by_text("Sesi Anda berakhir")).to_be_visible()
    expect(page.get_by_text("1 belum terkirim")).to_be_visible()
    assert len(queued(page)) == 1
    assert not Attendance.objects.exists()

    page.get_by_role("link", name="Masuk lagi").click()
    page.get_by_label("Nama pengguna").fill("dinas.pontianak")
    page.locator("#id_password").fill("kata-sandi-uji-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Semua tanda terkirim.")).to_be_visible()
    assert Attendance.objects.get().registration == a


def test_marks_wait_while_the_server_is_in_trouble(phone, hall, signal):
    event, (a, *_others) = hall
    page = phone.page
    phone.sign_in("dinas.pontianak")
    open_kept(phone, f"/pelatihan/{event.pk}/check-in/")
    signal.server_in_trouble()  # the phone has signal
    with page.expect_response(RECEIVE) as sent:
        check_in(page, a)
    assert sent.value.status == 503
    expect(page.get_by_text("1 belum terkirim")).to_be_visible()
    assert len(queued(page)) == 1
    assert not Attendance.objects.exists()

    signal.server_back()
    page.reload()
    expect(page.get_by_text("Semua tanda terkirim.")).to_be_visible()
    assert Attendance.objects.get().registration == a


def test_signing_out_leaves_no_roster_for_the_next_user(phone, hall, dinas_pasuruan_user):
    event, people = hall
    page = phone.page
    phone.sign_in("dinas.pontianak")
    open_kept(phone, f"/pelatihan/{event.pk}/check-in/")
    check_in(page, people[0])
    expect(page.get_by_text("Semua tanda terkirim.")).to_be_visible()

    page.set_viewport_size(DESKTOP)  # the menu at full width: no collapse to wait for
    page.get_by_role("button", name="dinas.pontianak").click()
    sign_out = page.get_by_role("button", name="Keluar")
    expect(sign_out).to_be_visible()
    sign_out.click()
    page.wait_for_url("**/akun/masuk/**")
    pasuruan = make_event(city_code="35.75", days=(timezone.localdate(),))
    phone.sign_in("dinas.pasuruan")
    open_kept(phone, f"/pelatihan/{pasuruan.pk}/check-in/")

    kept = page.evaluate(
        """async () => {
          const texts = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
              texts.push(request.url + " " + (await (await cache.match(request)).text()));
            }
          }
          return texts.join("\\n");
        }"""
    )
    assert f"/pelatihan/{pasuruan.pk}/" in kept  # what was looked for is there …
    assert f"/pelatihan/{event.pk}/" not in kept  # … and the first user's event is not
    for registration in people:
        assert registration.person.name not in kept
        assert registration.checkin_code not in kept
    assert queued(page) == []
