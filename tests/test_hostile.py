"""Hostile text everywhere: every text field a user can edit holds a payload, then
every page, PDF and workbook of the app is fetched as every role.

Nothing may answer 500; in HTML the payload is escaped; in a PDF it is extracted
as written, and the document holds no image or link; in a workbook no cell is a
formula and the text is intact.
"""

import datetime
import json
import re
from io import BytesIO

import pytest
from django import forms as django_forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar
from pypdf import PdfReader

from accounts.models import Profile
from coaching.models import CoachingPlan, CoachingVisit, Need, NeedUpdate
from training import services
from training.models import Attendance
from villages.models import Agency, Manager, Pokja, PokjaMember

from .documents import pdf_text, workbook_cells
from .factories import make_activity, make_event, make_person, make_photo, make_snapshot
from .forms import page_form_data
from .test_permissions import RULES

LONG = "Panjang " + "x" * 1992
PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '<img src="/etc/hostname"/>',
    '<a href="https://x">k</a>',
    "Siti & Rekan <Ketua>",
    LONG,
]
#: Enough of a payload to find it in any document that shows the field.
PREFIX = 30
DAY = datetime.date(2024, 3, 27)
MONTH = DAY.replace(day=1)


def write_through_forms(client, forms, payload):
    """Each (url, instance) form posted with every text field set to `payload`, as
    far as the field's length allows; a field whose validators refuse it (a code,
    a NIK) keeps its value, and must say why next to itself."""
    for url in forms:
        form = client.get(url).context["form"]
        data = page_form_data(client.get(url))
        texts = {
            bound.html_name: payload[: bound.field.max_length or None]
            for bound in form
            if type(bound.field) is django_forms.CharField
        }
        response = client.post(url, {**data, **texts})
        if response.status_code == 200:  # refused: keep what the validators refuse
            errors = response.context["form"].errors
            assert errors and all(errors.values()), url
            texts = {name: value for name, value in texts.items() if name not in errors}
            response = client.post(url, {**data, **texts})
        assert response.status_code == 302, (url, response.context["form"].errors)


def fill_text_fields(instance, payload):
    """Every text field of `instance` that a user can edit, set to `payload` as far
    as the field's length and validators allow (what its form would accept)."""
    for field in instance._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)):
            continue
        if field.choices or not field.editable or field.primary_key:
            continue
        value = payload[: field.max_length] if field.max_length else payload
        try:
            field.run_validators(value)
        except ValidationError:
            continue
        setattr(instance, field.attname, value)
    instance.save()


@pytest.fixture
def hostile_world(client, users, village_sungaibangkong, request):
    """The permission matrix's world, with attendance, certificates, a visit, a plan,
    a need and its update, and every text of it replaced by the payload: through
    the app's forms where there is one, then whatever is left directly."""
    payload = request.param
    village = village_sungaibangkong
    kelurahan = village.kelurahan
    district = kelurahan.district
    person = make_person(kelurahan=kelurahan)
    substitute = make_person(kelurahan=kelurahan)
    agency = Agency.objects.get(abbreviation="DINKES")
    pokja = Pokja.objects.create(
        level=Pokja.Level.KELURAHAN, city=district.city, district=district, kelurahan=kelurahan
    )
    member = PokjaMember.objects.create(pokja=pokja, person=person, agency=agency, term_start=DAY)
    manager = Manager.objects.create(kampung=village, person=person, role="ketua", start_date=DAY)
    snapshot = make_snapshot(village, month=MONTH)
    event = make_event(districts=[district.code], days=(DAY,))
    registration = services.registration_create(
        event=event, person=person, category="pengelola", kampung=village
    )
    services.registration_substitute(registration=registration, substitute=substitute)
    day = event.days.get()
    Attendance.objects.create(registration=registration, day=day, status="hadir")
    services.certificates_issue(event=event)
    plan = CoachingPlan.objects.create(kampung=village, month=MONTH, planned_date=DAY)
    visit = CoachingVisit.objects.create(kampung=village, date=DAY, plan=plan)
    visit.agencies_present.add(agency)
    visit.team.add(make_person())  # the dinas's own staff: no kelurahan
    need = Need.objects.create(
        kampung=village, category="data", description="Data", agency=agency, raised_at=visit,
        due_date=timezone.localdate(),  # within the calendar feed's reach
    )  # fmt: skip
    update = NeedUpdate.objects.create(need=need, status="proses", date=DAY)
    activity = make_activity(village, agencies=["DINKES"], date=DAY)
    photo = make_photo(activity)
    client.force_login(users["dinas"])
    write_through_forms(
        client,
        [
            reverse("villages:edit", args=[village.pk]),
            reverse("villages:person_edit", args=[person.pk]),
            reverse("villages:manager_edit", args=[village.pk, manager.pk]),
            reverse("villages:pokja_member_edit", args=[pokja.pk, member.pk]),
            reverse("training:edit", args=[event.pk]),
            reverse("coaching:visit_edit", args=[visit.pk]),
            reverse("coaching:need_edit", args=[need.pk]),
            reverse("villages:activity_edit", args=[activity.pk]),
        ],
        payload,
    )
    client.logout()
    calendar_token = "token-uji-kalender"
    Profile.objects.filter(user=users["dinas"]).update(calendar_token=calendar_token)
    for instance in (village, person, manager, member, event, visit, need, activity):
        instance.refresh_from_db()
    registration.refresh_from_db()
    filled = [
        village, person, substitute, agency, pokja, member, manager, snapshot, event,
        registration, plan, visit, need, update, kelurahan, district, district.city,
        activity, photo,
    ]  # fmt: skip
    for instance in filled:
        fill_text_fields(instance, payload)
    for user in users.values():
        if user:
            user.first_name, user.last_name = payload[:150], payload[:150]
            user.save()
    return {
        "payload": payload,
        "filled": filled,
        "kwargs": {
            "snapshot": {"pk": village.pk, "snapshot_pk": snapshot.pk},
            "village_pk": {"village_pk": village.pk},
            "visit": {"pk": visit.pk},
            "need": {"pk": need.pk},
            "event": {"pk": event.pk},
            "event_day": {"pk": event.pk, "day_pk": day.pk},
            "registration": {"pk": event.pk, "reg_pk": registration.pk},
            "village": {"pk": village.pk},
            "activity": {"pk": activity.pk},
            "photo": {"pk": photo.pk},
            "event_village": {"pk": event.pk, "village_pk": village.pk},
            "person": {"pk": person.pk},
            "manager": {"pk": village.pk, "manager_pk": manager.pk},
            "pokja": {"pk": pokja.pk},
            "pokja_member": {"pk": pokja.pk, "member_pk": member.pk},
            "agency": {"pk": agency.pk},
            "import_kind": {"kind": "kampung"},
            "calendar_token": {"token": calendar_token},
        },
        "extra": [
            (reverse("training:summary", args=[event.pk]) + "?format=pdf"),
            (reverse("training:summary", args=[event.pk]) + "?format=xlsx"),
            f"{reverse('coaching:report')}?kota={district.city_id}&kecamatan={district.pk}"
            f"&mulai={MONTH:%Y-%m}",
            f"{reverse('coaching:report')}?kota={district.city_id}&kecamatan={district.pk}"
            f"&mulai={MONTH:%Y-%m}&format=pdf",
            f"{reverse('coaching:report')}?kota={district.city_id}&kecamatan={district.pk}"
            f"&mulai={MONTH:%Y-%m}&format=xlsx",
            f"{reverse('villages:list')}?q={payload[:50]}",
            f"{reverse('training:verify')}?kode={registration.certificate_code}",
        ],
    }


def app_urls(world):
    for name, (kwargs_key, method, _expected) in RULES.items():
        if method == "get":
            yield reverse(name, kwargs=world["kwargs"][kwargs_key] if kwargs_key else None)
    yield from world["extra"]


def admin_urls(world):
    for instance in world["filled"]:
        if admin.site.is_registered(type(instance)):
            prefix = f"admin:{instance._meta.app_label}_{instance._meta.model_name}"
            yield reverse(f"{prefix}_changelist")
            yield reverse(f"{prefix}_change", args=[instance.pk])
            yield reverse(f"{prefix}_history", args=[instance.pk])


def normalised(text):
    return re.sub(r"\s+", "", text)


def check_html(content, payload):
    html = content.decode()
    if re.search(r"[<>&\"']", payload):
        assert payload[:PREFIX] not in html or escape(payload[:PREFIX]) == payload[:PREFIX]
        assert payload not in html
    return escape(payload[:PREFIX]) in html


def check_pdf(content, payload):
    reader = PdfReader(BytesIO(content))
    for page in reader.pages:
        assert not page.images, "an image the template did not put there"
        assert "/Annots" not in page, "a link the template did not put there"
    return normalised(payload[:PREFIX]) in normalised(pdf_text(content))


def check_workbook(content, payload):
    cells = workbook_cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    return any(text.startswith(payload[:PREFIX]) and payload.startswith(text) for text in texts)


def check_calendar(content, payload):
    entries = Calendar.from_ical(content).walk("VEVENT")
    return any(payload[:PREFIX] in str(e["summary"]) for e in entries)


def check_json(content, payload):
    """The roster a phone keeps: the payload is a whole string value, not markup."""

    def strings(value):
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            return [text for item in value for text in strings(item)]
        return [value] if isinstance(value, str) else []

    texts = strings(json.loads(content))
    return any(text.startswith(payload[:PREFIX]) and payload.startswith(text) for text in texts)


def check_photo(content, payload):
    """A photo is the image as stored: user text has no business there."""
    assert payload[:PREFIX].encode() not in content
    return False


def check_script(content, payload):
    """The service worker: user text has no business there."""
    assert payload[:PREFIX].encode() not in content
    return False


CHECKS = {
    "text/calendar": check_calendar,
    "text/plain": lambda content, payload: False,  # the health checks
    "text/javascript": check_script,
    "image/jpeg": check_photo,
    "application/json": check_json,
    "text/html": check_html,
    "application/pdf": check_pdf,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": check_workbook,
}


def fetch(client, url):
    response = client.get(url)
    assert response.status_code < 500, url
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


@pytest.mark.parametrize("hostile_world", PAYLOADS, indirect=True, ids=range(len(PAYLOADS)))
def test_every_page_and_document_survives_hostile_text(client, users, hostile_world):
    payload = hostile_world["payload"]
    shown = {}  # content type -> URLs whose content showed the payload
    for role, user in users.items():
        client.logout()
        if user:
            client.force_login(User.objects.get(pk=user.pk))
        urls = [*app_urls(hostile_world), *(admin_urls(hostile_world) if role == "admin" else [])]
        for url in urls:
            response, content = fetch(client, url)
            if response.status_code != 200:
                continue
            kind = response["Content-Type"].split(";")[0]
            if CHECKS[kind](content, payload):
                shown.setdefault(kind, set()).add(url.split("?")[0])
    # The payload was really drawn, not lost on the way: in pages, PDFs and workbooks.
    assert set(shown) == set(CHECKS) - {"text/plain", "text/javascript", "image/jpeg"}
    pdfs = {
        url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1] for url in shown["application/pdf"]
    }
    assert len(pdfs) >= 4, pdfs  # daftar hadir, cards, certificates, summary, report


NUL_QUERIES = {
    "search": ("villages:list", {"q": "Kampung\x00"}),
    "page key": ("villages:list", {"setelah": "1", "kunci": "\x00", "halaman": "2"}),
    "kota": ("villages:list", {"kota": "61.71\x00"}),
    "person search": ("villages:person_list", {"q": "\x00"}),
    "event search": ("training:list", {"q": "a\x00b"}),
}


@pytest.mark.parametrize("url, query", NUL_QUERIES.values(), ids=NUL_QUERIES.keys())
def test_a_nul_character_in_the_address_is_refused_not_a_server_error(client, dinas, url, query):
    """PostgreSQL cannot compare text holding a NUL: such an address gets the app's
    page for a request it cannot read, in Indonesian, before any query."""
    client.force_login(dinas)
    response = client.get(reverse(url), query)
    assert response.status_code == 400
    assert "Permintaan tidak dapat dibaca" in response.content.decode()
    assert client.get(reverse(url), {**query, **dict.fromkeys(query, "a")}).status_code == 200


def test_a_nul_character_in_a_calendar_token_is_refused_not_a_server_error(client, db):
    """The calendar feed is read without signing in, by the token in its path."""
    feed = reverse("overview:calendar_feed", args=["abc"])
    assert client.get(feed.replace("abc", "a%00b")).status_code == 400
    assert client.get(feed).status_code == 404


@pytest.mark.parametrize("key", ["\x00" + "a" * 31, "a" * 31 + "'", "ä" * 32, "A" * 32])
def test_a_session_cookie_django_never_made_signs_nobody_in_and_breaks_nothing(client, dinas, key):
    """Django makes session keys of lowercase letters and digits: a cookie with any
    other character (a NUL, which PostgreSQL cannot compare) is no session, as an
    unknown key is, on the public pages and the private ones alike."""
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("overview:dashboard")).status_code == 302
    client.force_login(dinas)
    assert client.get(reverse("overview:dashboard")).status_code == 200
