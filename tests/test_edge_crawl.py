"""Every page and endpoint, as every role, with what careless users and attackers send:
months and years out of range, garbage in every parameter, texts far longer than any
reason, malformed workbooks and photos in every upload, and hostile JSON to the
phone's endpoint. Nothing answers with a server error, and a refused request leaves
every table as it was."""

import json

import pytest
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .database import every_table
from .forms import page_form_data
from .test_permissions import RULES

pytestmark = pytest.mark.django_db

LONG = "Alasan panjang " * 400  # 6,000 characters
EDGE_QUERIES = [
    {"mulai": "9999-12", "bulan": "0001-01", "year": "99999", "hari": "9" * 30},
    {"mulai": "x", "bulan": "2024-13", "year": "0", "page": "9" * 30, "halaman": "-5"},
    {"setelah": "9" * 30, "sebelum": "-1", "kunci": "k" * 300, "reg": "9" * 30, "q": "%_\\"},
]
MALFORMED = {
    "xlsx": b"PK\x03\x04" + b"\x00" * 64,
    "photo": b"\xff\xd8\xff\xe0" + b"<script>" * 20,
}
PHONE_BODIES = [
    '{"marks": ' + "[" * 50_000 + "]" * 50_000 + "}",
    '{"marks": [{"id": [1], "made_at": {"a": 1}, "registration": [1, 2]}]}',
    '{"marks": [{"id": "6f2b0a6e-1f1e-4c1a-9e0b-2b6a1d2c3e4f", "made_at": "0001-01-01T00:00+14:00",'
    ' "code": "ABC"}]}',
    "null",
]


def edge_value(bound):
    """What a careless user or an attacker puts in a form field."""
    field = bound.field
    if isinstance(field, django_forms.FileField):
        name = "foto.jpg" if "image" in bound.name else "data.xlsx"
        return SimpleUploadedFile(name, MALFORMED["photo" if "image" in bound.name else "xlsx"])
    if isinstance(field, django_forms.DateField):
        return "9999-12-31" if field.widget.input_type == "date" else "9999-12"
    if isinstance(field, django_forms.CharField):
        return LONG
    return None


def edge_form_data(response):
    data = page_form_data(response)
    form = response.context.get("form") if response.context else None
    for bound in form or []:
        value = edge_value(bound)
        if value is not None:
            data[bound.html_name] = value
    return data


def tables():
    """Every table but the failed sign-ins, which a refused sign-in records by design."""
    return {label: state for label, state in every_table().items() if not label.startswith("axes.")}


def assert_refused_cleanly(client, url, data, **kwargs):
    before = tables()
    response = client.post(url, data, **kwargs)
    assert response.status_code < 500, url
    if response.status_code != 302:
        assert tables() == before, url
    return response


@pytest.mark.parametrize("role", ["admin", "dinas", "camat", "lurah_sb", "lurah_kk", "anonymous"])
def test_edge_input_to_every_page_and_form_as_every_role(client, users, world, role):  # noqa: F811
    if users[role]:
        client.force_login(users[role])
    for name, (kwargs_key, method, _expected) in RULES.items():
        url = reverse(name, kwargs=world[kwargs_key] if kwargs_key else None)
        if name == "accounts:logout":
            continue  # ends the session the rest of the crawl needs
        if method == "post":
            assert_refused_cleanly(client, url, {"reason": LONG, "month": "9999-12"})
            continue
        for query in EDGE_QUERIES:
            assert client.get(url, query).status_code < 500, (url, query)
        page = client.get(url)
        if page.status_code == 200 and page.context and page.context.get("form"):
            assert_refused_cleanly(client, url, edge_form_data(page))


@pytest.mark.parametrize("body", PHONE_BODIES, ids=["deep", "lists", "year-1", "null"])
def test_hostile_json_to_the_phones_endpoint(client, users, world, body):  # noqa: F811
    client.force_login(users["dinas"])
    url = reverse("training:attendance_receive", kwargs=world["event"])
    response = assert_refused_cleanly(client, url, body, content_type="application/json")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert {r["outcome"] for r in json.loads(response.content)["receipts"]} == {"ditolak"}
