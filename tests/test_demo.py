"""The demo's stories, as the app shows them: the two seed articles (Pontianak's phased
bimtek and year of coaching, Pasuruan's 155-person lokakarya) and the prepared
WhatsApp messages, each within 1,000 characters and without a NIK or anyone's phone
number.

Every test here reads one demo, seeded once for the module in a transaction that is
rolled back after its last test; each test runs in a savepoint inside it, as
pytest-django's tests do, so what one changes the next does not see.
"""

from io import BytesIO, StringIO
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone
from icalendar import Calendar
from openpyxl import load_workbook

from coaching.models import Need
from coaching.services import Cell
from kampungkb.months import add_months, months_from
from kampungkb.share import LIMIT, message
from overview.demo_users import DEMO_PASSWORD, DEMO_USERS
from training import services
from training.models import Registration, TrainingEvent
from villages.access import villages_visible_to
from villages.models import ActivityAgency, Agency, KampungKB, Level, Person, ProfileSnapshot

from .documents import pdf_text
from .test_calendar import feed_address
from .test_classification import _portal_level
from .test_portal_export import (
    FUNDS,
    KKBPK,
    OPERATIONS,
    POPULATION,
    PROFILE_START,
    SHEETS,
    VILLAGE,
    rows,
    workbook,
)
from .test_training import TWO_DAYS, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_client(client, demo):
    return client


def shared_texts(page):
    """The prepared messages of a page, as its wa.me links carry them."""
    html = page.content.decode()
    assert page.status_code == 200
    links = html.split('href="https://wa.me/?text=')[1:]
    return [unquote(link.split('"', 1)[0]) for link in links]


def assert_private(text):
    assert len(text) <= LIMIT
    for nik, phone in Person.objects.values_list("nik", "phone"):
        assert not nik or nik not in text
        assert not phone or phone not in text


def sign_in(client, username):
    client.force_login(User.objects.get(username=username))


def test_the_lokakarya_invitation_and_day_recaps(demo_client):
    sign_in(demo_client, "dinas.pasuruan")
    event = TrainingEvent.objects.get(code="LOKA-PSR-2020")
    [invitation] = shared_texts(demo_client.get(event.get_absolute_url()))
    assert invitation.splitlines() == [
        "*Undangan: Lokakarya Tingkat Kota bagi Pengelola Kampung KB se-Kota Pasuruan*",
        "Hari/tanggal: Senin, 28 Desember 2020, pukul 08.00–16.00 WIB; "
        "Selasa, 29 Desember 2020, pukul 08.00–16.00 WIB",
        "Tempat: Hotel Transit, Kota Pasuruan",
        f"Penyelenggara: {event.organiser.name}",
        "Narahubung: Sekretariat DP3AKB 081200000002",
        f"http://testserver{event.get_absolute_url()}",
    ]
    assert_private(invitation)
    recaps = shared_texts(demo_client.get(reverse("training:attendance", args=[event.pk])))
    assert len(recaps) == 2
    first = recaps[0].splitlines()
    assert first[:2] == [f"*Rekap kehadiran {event.title}*", "Senin, 28 Desember 2020"]
    present, total = (int(n) for n in first[2].removeprefix("Hadir: ").split(" dari "))
    assert total == 159 and 0 < present <= total  # 155 participants and the 4 speakers
    assert first[3].startswith("- Kepala Perangkat Daerah: ")
    assert "Belum hadir:" in first
    for recap in recaps:
        assert_private(recap)


def test_a_village_summary_for_its_lurah(demo_client):
    sign_in(demo_client, "dinas.pontianak")
    village = KampungKB.objects.get(kelurahan__code="61.71.05.1001")
    [summary] = shared_texts(demo_client.get(village.get_absolute_url()))
    lines = summary.splitlines()
    assert lines[0] == f"*{village.name}* — ringkasan"
    assert lines[1].startswith("Profil bulan ")
    assert lines[2] == f"Klasifikasi: {village.get_level_display()}"
    assert any(line.startswith("Kunjungan terakhir: ") for line in lines)
    for need in Need.objects.open().filter(kampung=village):
        assert any(need.description in line for line in lines)
    assert_private(summary)


def test_an_agencys_follow_up_list(demo_client):
    sign_in(demo_client, "dinas.pontianak")
    need = (
        Need.objects.open()
        .filter(kampung__kelurahan__district__city__code="61.71", agency__isnull=False)
        .first()
    )
    agency = need.agency
    [follow_up] = shared_texts(demo_client.get(reverse("overview:agency", args=[agency.pk])))
    lines = follow_up.splitlines()
    assert lines[:2] == [
        f"*Tindak lanjut {agency.name}*",
        "Kebutuhan Kampung KB yang ditugaskan dan masih terbuka:",
    ]
    assert any(line.startswith(f"- {need.kampung.name}: {need.description}") for line in lines)
    assert_private(follow_up)
    other = Agency.objects.exclude(pk__in=Need.objects.open().values("agency")).first()
    [nothing] = shared_texts(demo_client.get(reverse("overview:agency", args=[other.pk])))
    assert nothing.splitlines()[1] == "Tidak ada kebutuhan terbuka yang ditugaskan."


def test_a_long_list_ends_with_how_many_were_left_out():
    names = [f"- Peserta dengan nama yang cukup panjang nomor {n:03d}" for n in range(100)]
    text = message(["*Rekap*"], names).text
    assert len(text) <= LIMIT
    last = text.splitlines()[-1]
    shown = len(text.splitlines()) - 2
    assert last == f"… dan {100 - shown} lainnya"


def test_an_overridden_level_is_shared_without_a_path_it_does_not_have(demo_client):
    sign_in(demo_client, "dinas.pontianak")
    village = (
        KampungKB.objects.filter(kelurahan__district__city__code="61.71")
        .exclude(computed_level="mandiri")
        .first()
    )
    village.level_override, village.override_reason = "mandiri", "Hasil verifikasi lapangan"
    village.save()
    [summary] = shared_texts(demo_client.get(village.get_absolute_url()))
    assert "Klasifikasi: Mandiri" in summary
    assert "masih perlu" not in summary


def test_messages_and_the_daftar_hadir_stay_in_indonesian_for_an_english_user(demo_client):
    from django.conf import settings

    sign_in(demo_client, "dinas.pasuruan")
    demo_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    event = TrainingEvent.objects.get(code="LOKA-PSR-2020")
    page = demo_client.get(event.get_absolute_url())
    assert "Share on WhatsApp" in page.content.decode()  # the page follows the user
    [invitation] = shared_texts(page)
    assert invitation.startswith("*Undangan: ")  # the group chat does not
    day = event.days.first()
    daftar_hadir = demo_client.get(
        reverse("training:attendance_pdf", args=[event.pk]) + f"?hari={day.pk}"
    )
    text = " ".join(pdf_text(daftar_hadir.content).split())
    assert "mewakili" in text and "Kepala Perangkat Daerah" in text


# -- the seed events ------------------------------------------------------------------------


def test_pasuruan_summary_reproduces_the_article(demo):
    event = TrainingEvent.objects.get(code="LOKA-PSR-2020")
    days, rows, total, others = services.category_summary(event)
    assert [(str(r.label), r.registered) for r in rows] == [
        ("Kepala Perangkat Daerah", 12),
        ("Camat", 4),
        ("Lurah", 4),
        ("Pokja Kampung KB", 114),
        ("Penyuluh KB", 21),
    ]
    assert total.registered == 155
    assert [(str(r.label), r.registered) for r in others] == [("Narasumber", 4)]
    assert [d.date for d in days] == list(TWO_DAYS)
    assert all(0 < n <= 155 for n in total.present)


def test_the_lokakarya_daftar_hadir_says_who_stood_in_for_whom(client, demo):
    event = TrainingEvent.objects.get(code="LOKA-PSR-2020")
    substituted = event.registrations.exclude(substitute=None).select_related("person", "district")
    [camat] = substituted
    client.force_login(User.objects.get(username="dinas.pasuruan"))  # the demo's
    url = reverse("training:attendance_pdf", args=[event.pk]) + f"?hari={event.days.first().pk}"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    lines = pdf_text(response.content).splitlines()
    text = " ".join(lines)
    assert f"{camat.substitute.name}, mewakili {camat.person.name} ({camat.person.position})" in (
        text
    )
    assert f"Kecamatan {camat.district.name}" in text
    assert "KECAMATAN" not in text.replace("DAFTAR HADIR", "")
    # Within each category the printed names run alphabetically.
    seated = services.daftar_hadir(event)
    for category in Registration.Category:
        names = [r.attendee.name.casefold() for r in seated if r.category == category]
        assert names == sorted(names), category
    categories = [r.category for r in seated]
    assert categories == sorted(categories, key=list(Registration.Category).index)
    person_page = client.get(reverse("overview:person", args=[camat.substitute.pk]))
    assert f"mewakili {camat.person.name}" in person_page.content.decode()


def test_pontianak_phase_one_has_its_fifty_managers(demo):
    event = TrainingEvent.objects.get(code="BIMTEK-PTK-2018-1")
    assert event.registrations.filter(status=Status.REGISTERED).count() == 50
    assert set(event.target_districts.values_list("name", flat=True)) == {
        "Pontianak Barat",
        "Pontianak Kota",
    }
    phase_two = TrainingEvent.objects.get(code="BIMTEK-PTK-2018-2")
    assert (phase_two.phase, phase_two.programme) == (2, event.programme)
    assert phase_two.target_districts.count() == 4


def test_summary_exports_open(client, demo):
    event = TrainingEvent.objects.get(code="LOKA-PSR-2020")
    client.force_login(User.objects.get(username="dinas.pasuruan"))
    url = reverse("training:summary", args=[event.pk])
    sheet = load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert list(sheet.iter_rows(values_only=True))[6][:2] == ("Jumlah peserta", 155)
    assert "Jumlah peserta" in pdf_text(client.get(url, {"format": "pdf"}).content)


def test_the_demo_villages_levels_are_the_portals(demo):
    levels = set()
    for village in KampungKB.objects.all():
        latest = village.snapshots.order_by("-month").first()
        # the distinct agencies in its activities, counted row by row
        agencies = {
            link.agency_id for link in ActivityAgency.objects.filter(activity__kampung=village)
        }
        expected = _portal_level(latest, len(agencies)) if latest else "dasar"
        assert village.computed_level == expected, village.name
        levels.add(expected)
    assert levels == set(Level.values)  # all four appear


def test_a_demo_village_in_the_portals_layout(client, demo):
    village = KampungKB.objects.get(name="Kampung KB Bansir Mandiri")
    latest = village.snapshots.order_by("-month").first()
    client.force_login(User.objects.get(username="dinas.pontianak"))
    book = workbook(client.get(reverse("villages:village_portal_export", args=[village.pk])))
    assert book.sheetnames == SHEETS

    [headings, row] = rows(book["Kependudukan"])
    assert headings == [*VILLAGE, "Bulan", *POPULATION]
    assert row[:5] == [
        village.kelurahan.code, village.kelurahan.name, village.kelurahan.district.name,
        village.name, latest.month.strftime("%Y-%m"),
    ]  # fmt: skip
    assert row[5:] == [
        latest.pus, latest.families, latest.youths, latest.families_with_toddler,
        latest.families_with_teen, latest.families_with_elderly,
    ]  # fmt: skip

    [headings, row] = rows(book["KKBPK"])
    assert headings == [*VILLAGE, "Bulan", *KKBPK]
    assert row[5:10] == [latest.members_bkb, latest.members_bkr, latest.members_bkl,
                         latest.members_uppka, latest.members_pikr]  # fmt: skip
    assert row[10:17] == [latest.users_iud, latest.users_mow, latest.users_mop,
                          latest.users_condom, latest.users_implant, latest.users_injection,
                          latest.users_pill]  # fmt: skip
    assert row[17:] == [latest.pregnant, latest.want_child_soon, latest.iat, latest.tial]

    [headings, row] = rows(book["Profil"])
    profile = dict(zip(headings, row, strict=True))
    assert headings[5:8] == PROFILE_START
    assert [h.removeprefix("Sumber dana: ") for h in headings[8:14]] == FUNDS
    assert headings[-5:] == [f"Kegiatan operasional: {label}" for label in OPERATIONS]
    assert profile["Jumlah anggota Pokja"] == latest.pokja_members
    ticked = {h.split(": ", 1)[1] for h, v in profile.items() if ": " in h and v == "Ya"}
    entered = {
        *(label for value, label in latest._meta.get_field("funding_sources").item_choices
          if value in latest.funding_sources),
        *(label for value, label in latest._meta.get_field("programmes").item_choices
          if value in latest.programmes),
        *(label for value, label in latest._meta.get_field("data_used").item_choices
          if value in latest.data_used),
        *(label for value, label in latest._meta.get_field("operational_activities").item_choices
          if value in latest.operational_activities),
    }  # fmt: skip
    assert ticked == {str(label) for label in entered}
    assert profile["PKB/PLKB pendamping ada"] == ("Ya" if latest.pkb_assigned else "Tidak")

    [headings, *activities] = rows(book["Kegiatan"])
    assert headings == [*VILLAGE, "Judul kegiatan", "Tanggal", "Tempat", "Uraian",
                        "Fungsi keluarga", "Sasaran", "Perangkat daerah yang terlibat",
                        "Jumlah foto"]  # fmt: skip
    assert len(activities) == village.activities.count() > 0


def test_the_demo_runs_again_and_each_role_signs_in_to_its_dashboard(client, demo):
    call_command("demo", no_serve=True, stdout=StringIO())  # once more: nothing doubles
    assert TrainingEvent.objects.filter(code="LOKA-PSR-2020").count() == 1
    for username, *_ in DEMO_USERS:
        response = client.post(
            reverse("accounts:login"),
            {"username": username, "password": DEMO_PASSWORD},
            follow=True,
        )
        landing = response.redirect_chain[-1][0]
        if username.startswith("lurah."):  # one village each: they land on its page
            village = villages_visible_to(User.objects.get(username=username)).get()
            assert landing == village.get_absolute_url(), username
            assert village.name in response.content.decode()
        else:
            assert landing == reverse("overview:dashboard"), username
            assert "Dasbor" in response.content.decode()
        client.post(reverse("accounts:logout"))


def test_a_fresh_demo_shows_this_month_on_every_page_of_now(demo_client):
    """Whatever day the demo is made: this year's visits, last month's missed one, an
    overdue need, next month's bimtek, this month's profiles, all in the calendar."""
    today = timezone.localdate()
    this_month = today.replace(day=1)
    sign_in(demo_client, "dinas.pontianak")
    figures = demo_client.get(reverse("overview:dashboard")).context["figures"]
    assert figures.upcoming_events == 1
    assert figures.missed_last_month == 1

    rows = demo_client.get(reverse("coaching:matrix")).context["rows"]
    this_year = [cell for row in rows for cell in row.cells]
    assert Cell.VERIFIED in this_year and Cell.MISSED in this_year
    assert rows[0].cells[this_month.month - 1] in (Cell.PLANNED, Cell.DONE)

    kecamatan = {"kecamatan": "61.71.03"}  # whose one village entered this month
    levels = demo_client.get(reverse("villages:levels"), kecamatan).context["rows"]
    assert [(month, sum(counts), without) for month, counts, without in levels] == [
        (month, 1, 0) for month in months_from(add_months(this_month, -11))
    ]

    sheet = demo_client.get(reverse("villages:month_sheet"), {"kota": "61.71"}).content.decode()
    assert f"{this_month:%m/%Y}" in sheet or formats.date_format(this_month, "F Y") in sheet
    pontianak = KampungKB.objects.filter(kelurahan__district__city__code="61.71")
    assert ProfileSnapshot.objects.filter(kampung__in=pontianak, month=this_month).count() == 3

    report = demo_client.get(reverse("coaching:report"), kecamatan).context["report"]
    assert report.month == this_month and report.planned == 1

    address = feed_address(demo_client, User.objects.get(username="dinas.pontianak"))
    feed = Calendar.from_ical(demo_client.get(address).content)
    summaries = [str(entry["SUMMARY"]) for entry in feed.walk("VEVENT")]
    assert any("Tahap II" in summary for summary in summaries)
    assert any(summary.startswith("Tenggat: Lemari arsip") for summary in summaries)
