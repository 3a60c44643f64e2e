"""The documents print right on A4: rendered to images with pdftoppm (poppler-utils)."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from training import services
from training.models import Attendance

from .factories import make_event, make_person

pytestmark = pytest.mark.django_db
A4_PORTRAIT_AT_50_DPI = (414, 585)  # 210 × 297 mm = 413.4 × 584.6 px, rounded up


def render(pdf_bytes, tmp_path):
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(source), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    return sorted(Path(tmp_path).glob("page-*.png"))


def png_size(path):
    header = path.read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")


@pytest.fixture
def event_with_45_present():
    event = make_event(code="CETAK")
    day = event.days.get()
    for n in range(45):
        registration = services.registration_create(
            event=event, person=make_person(name=f"Peserta {n:02d}"), category="pengelola"
        )
        Attendance.objects.create(registration=registration, day=day, status="hadir")
    services.certificates_issue(event=event)
    return event


def test_daftar_hadir_prints_on_a4_portrait_pages(client, dinas, event_with_45_present, tmp_path):
    event = event_with_45_present
    client.force_login(dinas)
    url = reverse("training:attendance_pdf", args=[event.pk, event.days.get().pk])
    pages = render(client.get(url).content, tmp_path)
    assert len(pages) == 3  # 45 rows of 11 mm, twenty to a page
    assert all(png_size(p) == A4_PORTRAIT_AT_50_DPI for p in pages)


def test_certificates_print_one_a4_landscape_page_each(
    client, dinas, event_with_45_present, tmp_path
):
    client.force_login(dinas)
    url = reverse("training:certificates_pdf", args=[event_with_45_present.pk])
    pages = render(client.get(url).content, tmp_path)
    assert len(pages) == 45
    assert png_size(pages[0]) == A4_PORTRAIT_AT_50_DPI[::-1]
