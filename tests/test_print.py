"""The documents print right on A4, rendered to images as a PDF viewer would."""

import pytest
from django.urls import reverse

from training import services
from training.models import Attendance

from .documents import pdf_pages
from .factories import make_event, make_person

pytestmark = pytest.mark.django_db
A4_PORTRAIT_AT_50_DPI = (414, 585)  # 210 × 297 mm = 413.4 × 584.6 px, rounded up


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


def test_daftar_hadir_prints_on_a4_portrait_pages(client, dinas, event_with_45_present):
    event = event_with_45_present
    client.force_login(dinas)
    url = reverse("training:attendance_pdf", args=[event.pk]) + f"?hari={event.days.get().pk}"
    pages = pdf_pages(client.get(url).content)
    assert len(pages) == 3  # 45 rows of 11 mm, twenty to a page
    assert all(p.size == A4_PORTRAIT_AT_50_DPI for p in pages)


def test_certificates_print_one_a4_landscape_page_each(client, dinas, event_with_45_present):
    client.force_login(dinas)
    url = reverse("training:certificates_pdf", args=[event_with_45_present.pk])
    pages = pdf_pages(client.get(url).content)
    assert len(pages) == 45
    assert pages[0].size == A4_PORTRAIT_AT_50_DPI[::-1]
