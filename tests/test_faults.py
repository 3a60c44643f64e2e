"""When the database goes away: the health check says so, and users get the app's
own error page, never a bare server error."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def refuse():
    raise OperationalError("could not connect to server: Connection refused")


@pytest.fixture
def database_down(db):
    """Every query fails as it does when the server is unreachable (until the test
    ends, so that its transaction can still be rolled back)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "ensure_connection", refuse)
        yield


def test_the_health_check_answers_ok_while_the_database_answers(client):
    response = client.get(reverse("health"))
    assert (response.status_code, response.content) == (200, b"ok")


def test_the_health_check_answers_503_without_its_cache_table(client, settings):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "kampungkb_cache_missing"}
    }
    response = client.get(reverse("health"))
    assert (response.status_code, response.content) == (503, b"unavailable: cache")


def test_the_health_check_answers_503_with_the_database_unreachable(database_down):
    response = Client().get(reverse("health"))
    assert response.status_code == 503
    assert response.content == b"unavailable: database, cache"
    assert Client().get(reverse("alive")).status_code == 200  # the process itself lives


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_a_request_gets_the_apps_own_500_page_with_the_database_unreachable(
    request, dinas, signed_in
):
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(dinas)
    request.getfixturevalue("database_down")
    if signed_in:
        response = client.get(reverse("villages:list"))
    else:  # the one public page that reads the database
        response = client.get(reverse("training:verify"), {"kode": "ABCDEFGHJK"})
    assert response.status_code == 500
    assert "Maaf, terjadi kesalahan pada server" in response.content.decode()


def test_signed_in_pages_and_downloads_are_kept_by_no_cache(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    for url in [
        reverse("villages:list"),
        reverse("overview:village", args=[village_sungaibangkong.pk]),
        reverse("villages:export"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}, url


def test_the_public_certificate_check_is_kept_by_no_cache(client):
    response = client.get(reverse("training:verify"), {"kode": "ABCDEFGHJK"})
    assert "no-store" in response["Cache-Control"]
