"""End-to-end journeys of every role, at desktop and phone width, in a real browser."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from coaching.models import CoachingPlan, CoachingVisit, Need
from tests.conftest import make_user
from tests.factories import make_event, make_person, make_snapshot, make_village
from training import services
from training.models import Attendance, Registration, TrainingEvent
from villages.models import City, KampungKB, Pokja, PokjaMember

from .conftest import OPERATIONS, ORGANISED, PASSWORD, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def test_dinas_creates_a_village_with_managers_and_a_snapshot(browse, dinas_user):
    make_person(name="Zubaidah Ramadhan")
    page = browse.page
    browse.sign_in("dinas.pontianak")
    browse.go("/kampung/baru/")
    page.get_by_label("Nama").fill("Kampung KB Bangkong Lestari")
    page.get_by_label("Kelurahan").select_option(label="Sungaibangkong")
    page.get_by_label("RW yang dicakup").fill("RW 03, RW 05")
    page.get_by_label("Kumuh").check()
    browse.submit()
    expect(page.get_by_role("heading", name="Kampung KB Bangkong Lestari")).to_be_visible()
    village = KampungKB.objects.get(name="Kampung KB Bangkong Lestari")

    page.get_by_role("link", name="Tambah pengelola").click()
    browse.search("Zubai")
    expect(page.locator("#id_person option", has_text="Zubaidah Ramadhan")).to_have_count(1)
    page.locator("#id_person").select_option(label="Zubaidah Ramadhan")
    page.get_by_label("Jabatan").select_option(label="Ketua")
    page.get_by_label("Mulai").fill("2024-01-02")
    browse.submit()
    expect(page.get_by_text("Ketua: Zubaidah Ramadhan")).to_be_visible()

    browse.record_profile(
        "2024-03", [*ORGANISED, *OPERATIONS], pokja_members=10, pus=200, users_pill=70
    )
    # input 3.20 and process 3.00 pass; output 2.00 (CPR 35 %, no MKJP) does not
    expect(page.locator(".badge.level-berkembang").first).to_be_visible()
    output = page.get_by_role("region", name="Indeks Output")
    expect(output).to_contain_text("2,00")
    expect(output.get_by_text("naikkan ke 41% → skor 3")).to_be_visible()
    way_up = "Untuk naik ke Berkelanjutan: indeks Output kurang 4 skor"
    expect(page.get_by_text(way_up)).to_be_visible()
    assert village.snapshots.get().cpr == 35.0


@pytest.fixture
def pasuruan_pokja(transactional_db):
    city = City.objects.get(code="35.75")
    village = make_village("35.75.01.1001", name="Kampung KB Karangketug Berseri")
    kelurahan = village.kelurahan
    pokja = Pokja.objects.create(
        level="kelurahan", city=city, district=kelurahan.district, kelurahan=kelurahan
    )
    for n in range(6):
        PokjaMember.objects.create(
            pokja=pokja,
            person=make_person("35.75", name=f"Anggota Pokja {n + 1}"),
            agency_id=_agency_id("PKK"),
            term_start=datetime.date(2020, 3, 2),
        )
    return pokja


def _agency_id(abbreviation):
    from villages.models import Agency

    return Agency.objects.get(abbreviation=abbreviation).pk


def test_pasuruan_lokakarya_from_plan_to_verified_certificate(
    browse, dinas_pasuruan_user, pasuruan_pokja
):
    make_person("35.75", name="Camat Gadingrejo")
    make_person("35.75", name="Sekcam Gadingrejo")
    page = browse.page
    browse.sign_in("dinas.pasuruan")
    browse.go("/pelatihan/baru/")
    page.get_by_label("Jenis").select_option(label="Lokakarya")
    page.get_by_label("Judul").fill("Lokakarya Kampung KB se-Kota Pasuruan")
    page.get_by_label("Kode kegiatan").fill("LOKA-UJI")
    page.get_by_label("Hari pertama").fill("2020-12-28")
    page.get_by_label("Hari terakhir").fill("2020-12-29")
    page.locator("#id_city").select_option(label="Kota Pasuruan")
    page.get_by_label("Penyelenggara").select_option(label="DP3AKB")
    page.get_by_label("Tempat").fill("Hotel Transit")
    page.get_by_label("Kapasitas").fill("155")
    page.get_by_label("Penandatangan", exact=True).fill("Njoman Swasti")
    browse.submit()
    event = TrainingEvent.objects.get(code="LOKA-UJI")

    browse.go(f"/pelatihan/{event.pk}/peserta/massal/")
    page.get_by_label(re.compile("Pokja Kelurahan Karangketug")).check()
    page.get_by_role("button", name="Daftarkan anggota Pokja").click()
    expect(page.get_by_text("6 didaftarkan")).to_be_visible()

    browse.go(f"/pelatihan/{event.pk}/peserta/baru/")
    page.get_by_label("Nama peserta").fill("Camat")
    page.get_by_role("radio", name=re.compile("Camat Gadingrejo")).check()
    page.get_by_label("Kategori").select_option(label="Camat")
    browse.submit("Daftarkan")
    expect(page.get_by_text("Camat Gadingrejo didaftarkan.")).to_be_visible()
    browse.go(f"/pelatihan/{event.pk}/peserta/")
    page.get_by_role("row", name=re.compile("Camat Gadingrejo")).get_by_role(
        "link", name="Wakil"
    ).click()
    browse.search("Sekcam")
    expect(page.locator("#id_substitute option", has_text="Sekcam")).to_have_count(1)
    page.locator("#id_substitute").select_option(label="Sekcam Gadingrejo")
    browse.submit()
    expect(page.get_by_text("mewakili Camat Gadingrejo")).to_be_visible()

    page.set_viewport_size({"width": 360, "height": 780})  # the grid is filled on a phone
    browse.go(f"/pelatihan/{event.pk}/kehadiran/")
    page.get_by_role("link", name=re.compile("Sen 28 Des")).click()
    page.get_by_role("button", name=re.compile("Sisanya hadir")).click()
    browse.submit("Simpan kehadiran")
    expect(page.get_by_text("7 sel berubah")).to_be_visible()
    assert Attendance.objects.filter(day__date=datetime.date(2020, 12, 28)).count() == 7

    browse.go(f"/pelatihan/{event.pk}/rekap/")
    summary = page.get_by_test_id("summary")
    expect(summary.get_by_role("row", name=re.compile("Pokja Kampung KB"))).to_contain_text("6")
    expect(summary.get_by_role("row", name=re.compile("Jumlah peserta"))).to_contain_text("7")

    day = event.days.first()
    pdf = page.request.get(
        f"{browse.base_url}/pelatihan/{event.pk}/kehadiran/daftar-hadir.pdf?hari={day.pk}"
    )
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    browse.go(f"/pelatihan/{event.pk}/")
    page.get_by_role("button", name="Beri nomor sertifikat").click()
    expect(page.get_by_text("7 sertifikat baru")).to_be_visible()
    certificate = page.request.get(f"{browse.base_url}/pelatihan/{event.pk}/sertifikat.pdf")
    assert certificate.ok and certificate.body().startswith(b"%PDF")

    first = (
        Registration.objects.filter(event=event)
        .exclude(certificate_number=None)
        .order_by("certificate_number")
        .first()
    )
    page.context.clear_cookies()  # signed out
    browse.go("/pelatihan/verifikasi/")
    page.get_by_label("Kode pemeriksaan").fill(first.printed_certificate_code)
    page.get_by_role("button", name="Periksa").click()
    expect(page.get_by_text("Sertifikat sah.")).to_be_visible()
    expect(page.get_by_text(first.certificate_number)).to_be_visible()


def test_dinas_plans_a_year_and_carries_a_need_to_the_next_visit(browse, dinas_user):
    village = make_village("61.71.05.1001", name="Kampung KB Bangkong Berseri")
    make_village("61.71.03.1004", name="Kampung KB Sungai Beliung")
    page = browse.page
    browse.sign_in("dinas.pontianak")
    browse.go("/pembinaan/rencana/")
    page.get_by_label("Mulai bulan").first.fill("2018-04")
    page.get_by_label("Pontianak Barat").check()
    page.get_by_label("Pontianak Kota").check()
    page.get_by_role("button", name="Buat rencana").click()
    expect(page.get_by_text("24 kunjungan direncanakan")).to_be_visible()

    browse.go(f"/pembinaan/kampung/{village.pk}/kunjungan/baru/")
    page.get_by_label("Tanggal kunjungan").fill("2018-04-10")
    page.get_by_label("Temuan").fill("Posyandu belum punya timbangan")
    first_need = page.get_by_role("group", name="Kebutuhan baru 1")
    first_need.get_by_label("Kategori").select_option(label="Sarana dan prasarana")
    first_need.get_by_label("Uraian kebutuhan").fill("Timbangan bayi untuk posyandu")
    first_need.get_by_label("Instansi penanggung jawab").select_option(label="DINKES")
    browse.submit("Simpan kunjungan")
    expect(page.get_by_text("Timbangan bayi untuk posyandu")).to_be_visible()
    assert Need.objects.get().agency.abbreviation == "DINKES"

    browse.go(f"/pembinaan/kampung/{village.pk}/kunjungan/baru/")
    carried = page.get_by_role("group", name="Timbangan bayi untuk posyandu")
    expect(carried).to_be_visible()
    page.get_by_label("Tanggal kunjungan").fill("2018-05-08")
    carried.get_by_label("Status").select_option(label="Dalam proses")
    carried.get_by_label("Catatan perkembangan").fill("Diusulkan ke Dinkes")
    browse.submit("Simpan kunjungan")
    assert Need.objects.get().status == Need.Status.IN_PROGRESS

    browse.go("/pembinaan/?mulai=2018-04")
    row = page.get_by_role("row", name=re.compile("Kampung KB Bangkong Berseri"))
    expect(row.locator("td.done")).to_have_count(2)
    expect(row.locator("td.missed").first).to_contain_text("Terlewat")


def test_lurah_karangketug_sees_only_their_village_read_only(browse, transactional_db):
    own = make_village("35.75.01.1001", name="Kampung KB Karangketug Berseri")
    other = make_village("61.71.05.1001", name="Kampung KB Bangkong Berseri")
    make_user("lurah.karangketug", "kelurahan", kelurahan=["35.75.01.1001"])
    page = browse.page
    browse.sign_in("lurah.karangketug")  # their one village is where they land
    assert page.url == f"{browse.base_url}{own.get_absolute_url()}"
    expect(page.get_by_role("heading", name=own.name)).to_be_visible()
    browse.check_accessibility()
    expect(page.get_by_role("link", name="Ubah")).to_have_count(0)
    response = page.goto(f"{browse.base_url}/kampung/{other.pk}/")
    assert response.status == 404
    expect(page.get_by_text("Halaman tidak ditemukan")).to_be_visible()
    response = page.goto(f"{browse.base_url}/kampung/{own.pk}/ubah/")
    assert response.status == 403


def test_the_trend_chart_fetches_its_script_once_it_comes_into_view(
    browse, viewport, transactional_db
):
    """Chart.js (60 KB) is not part of a phone's first screen: the canvas asks for it
    when it nears the screen, and then draws the profiles."""
    village = make_village("35.75.01.1001", name="Kampung KB Karangketug Berseri")
    for month in (1, 2, 3):
        make_snapshot(village, datetime.date(2024, month, 1), pus=100 * month)
    make_user("lurah.karangketug", "kelurahan", kelurahan=["35.75.01.1001"])
    page = browse.page
    fetched = []
    page.on("request", lambda request: "chart.umd" in request.url and fetched.append(request))
    browse.sign_in("lurah.karangketug")
    page.wait_for_load_state("networkidle")
    if viewport == PHONE:
        assert fetched == [], "Chart.js fetched before the chart came near the screen"
    canvas = page.locator("canvas[data-chart]")
    canvas.scroll_into_view_if_needed()
    page.wait_for_function("() => typeof Chart !== 'undefined'")
    assert len(fetched) == 1
    drawn = "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v)"
    page.wait_for_function(f"() => ({drawn})(document.querySelector('canvas[data-chart]'))")


def test_wrong_input_keeps_the_form_and_explains_in_indonesian(browse, dinas_user):
    page = browse.page
    browse.sign_in("dinas.pontianak")
    browse.go("/kampung/orang/baru/")
    page.get_by_label("Nama").fill("Siti Aminah")
    page.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    page.get_by_label("NIK").fill("1234")
    page.get_by_label("Telepon").fill("12345")
    page.get_by_label("Kota").select_option(label="Kota Pontianak")
    browse.submit()
    summary = page.locator("[data-error-summary]")  # at the top, read first
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="NIK")).to_have_attribute("href", "#id_nik")
    expect(summary).to_contain_text("Nomor telepon tidak dikenali")
    # and next to each field
    expect(page.locator(".invalid-feedback", has_text="NIK harus 16 angka.")).to_be_visible()
    expect(page.locator(".invalid-feedback", has_text="Nomor telepon tidak")).to_be_visible()
    expect(page.get_by_label("Nama")).to_have_value("Siti Aminah")
    expect(page.get_by_label("NIK")).to_have_value("1234")


def test_login_form_refuses_a_wrong_password(browse, dinas_user):
    page = browse.page
    browse.go("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("dinas.pontianak")
    page.locator("#id_password").fill(PASSWORD + "salah")
    page.get_by_role("button", name="Masuk").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nama pengguna atau kata sandi salah.")
    expect(page.get_by_label("Nama pengguna")).to_have_value("dinas.pontianak")


def test_dinas_cancels_a_registration_from_the_list(browse, dinas_user):
    """The list's cancel buttons all submit one form outside the table, with its
    CSRF token, each to its own address."""
    event = make_event(capacity=1)
    for name in ("Ani Pertama", "Budi Menunggu"):
        services.registration_create(
            event=event, person=make_person(name=name), category="pengelola"
        )
    page = browse.page
    browse.sign_in("dinas.pontianak")
    browse.go(f"/pelatihan/{event.pk}/peserta/")
    page.get_by_role("row", name=re.compile("Ani Pertama")).get_by_role(
        "button", name="Batalkan"
    ).click()
    expect(
        page.get_by_text(
            "Pendaftaran Ani Pertama dibatalkan; Budi Menunggu naik dari daftar tunggu."
        )
    ).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Budi Menunggu"))
    expect(row.get_by_text("Terdaftar", exact=True)).to_be_visible()


def test_dinas_plans_the_next_phase_with_its_title_and_a_warning(browse, dinas_user):
    first = make_event(
        code="BT-PTK-1", title="Bimtek Pengelola Kampung KB Tahap I", programme="Bimtek 2018",
        phase=1, districts=["61.71.03"],
    )  # fmt: skip
    make_event(
        code="BT-PTK-2", title="Bimtek Pengelola Kampung KB Tahap II", programme="Bimtek 2018",
        phase=2, districts=["61.71.05"],
    )  # fmt: skip
    page = browse.page
    browse.sign_in("dinas.pontianak")
    browse.go(f"/pelatihan/{first.pk}/tahap-berikut/")
    expect(page.get_by_label("Judul tahap berikut")).to_have_value(
        "Bimtek Pengelola Kampung KB Tahap II"
    )
    expect(page.get_by_text("sudah dicakup tahap lain program ini")).to_be_visible()
    expect(page.get_by_label(re.compile("Pontianak Kota — sudah dicakup"))).to_be_visible()
    page.get_by_label("Judul tahap berikut").fill("Bimtek Pengelola Kampung KB Tahap III")
    page.get_by_label("Kode kegiatan tahap berikut").fill("BT-PTK-3")
    page.get_by_label("Hari pertama").fill("2018-05-22")
    page.get_by_label("Hari terakhir").fill("2018-05-22")
    page.get_by_label("Pontianak Timur").check()
    browse.submit()
    expect(
        page.get_by_role("heading", name="Bimtek Pengelola Kampung KB Tahap III")
    ).to_be_visible()
    assert TrainingEvent.objects.get(code="BT-PTK-3").phase == 2


def test_a_new_visit_starts_from_the_plan_and_the_last_team(browse, dinas_user):
    village = make_village("61.71.05.1001", name="Kampung KB Bangkong Berseri")
    today = datetime.date.today()
    planned = today.replace(day=min(today.day, 20))
    CoachingPlan.objects.create(kampung=village, month=today.replace(day=1), planned_date=planned)
    team = [make_person(name="Rahmat PKB"), make_person(name="Sari Dinas")]
    last = CoachingVisit.objects.create(kampung=village, date=today - datetime.timedelta(days=35))
    last.team.set(team)
    page = browse.page
    browse.sign_in("dinas.pontianak")
    browse.go(f"/pembinaan/kampung/{village.pk}/kunjungan/baru/")
    expect(page.get_by_label("Tanggal kunjungan")).to_have_value(planned.isoformat())
    chosen = page.locator("#id_team option:checked")
    expect(chosen).to_have_text(["Rahmat PKB", "Sari Dinas"])
    browse.submit("Simpan kunjungan")
    visit = CoachingVisit.objects.exclude(pk=last.pk).get()
    assert visit.date == planned
    assert set(visit.team.values_list("name", flat=True)) == {"Rahmat PKB", "Sari Dinas"}
