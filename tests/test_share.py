"""Prepared WhatsApp messages for the demo's stories: what each says, that each fits
in 1,000 characters, and that none carries a NIK or anyone's phone number."""

from io import StringIO
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from coaching.models import Need
from kampungkb.share import LIMIT, message
from training.models import TrainingEvent
from villages.models import Agency, KampungKB, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_client(client):
    call_command("demo", no_serve=True, stdout=StringIO())
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
        "Hari/tanggal: Senin, 28 Desember 2020, Selasa, 29 Desember 2020",
        "Tempat: Hotel Transit, Kota Pasuruan",
        f"Penyelenggara: {event.organiser.name}",
        "Narahubung: Panitia DP3AKB (panitia)",
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

    from .documents import pdf_text

    sign_in(demo_client, "dinas.pasuruan")
    demo_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    event = TrainingEvent.objects.get(code="LOKA-PSR-2020")
    page = demo_client.get(event.get_absolute_url())
    assert "Share on WhatsApp" in page.content.decode()  # the page follows the user
    [invitation] = shared_texts(page)
    assert invitation.startswith("*Undangan: ")  # the group chat does not
    day = event.days.first()
    daftar_hadir = demo_client.get(reverse("training:attendance_pdf", args=[event.pk, day.pk]))
    text = " ".join(pdf_text(daftar_hadir.content).split())
    assert "mewakili" in text and "Kepala Perangkat Daerah" in text
