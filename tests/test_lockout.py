"""Login throttling that holds behind a proxy and against password spraying, and
does not lock a whole office out for a few typos."""

import pytest
from django.urls import reverse

LOGIN = reverse("accounts:login")
PASSWORD = "kata-sandi-uji-123"
PROXY = "10.0.0.1"


def attempt(client, password, *, username="dinas.pontianak", **addresses):
    return client.post(LOGIN, {"username": username, "password": password}, **addresses)


def locked(response):
    return response.status_code == 429


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(client, dinas):
    for n in range(5):
        attempt(client, "salah", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = attempt(
        client, PASSWORD, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.200"
    )
    assert locked(response)
    assert "Akun dikunci sementara" in response.content.decode()


def test_behind_one_trusted_proxy_two_clients_are_locked_separately(client, dinas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        attempt(client, "salah", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    # What the client writes left of the proxy's entry is not believed.
    forged = "192.0.2.1, 203.0.113.5"
    assert locked(attempt(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged))
    other = attempt(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert other.status_code == 302


@pytest.mark.parametrize("failures, is_locked", [(29, False), (30, True)])
def test_one_address_trying_many_usernames_is_stopped_at_the_limit(
    client, dinas, failures, is_locked
):
    for n in range(failures):
        attempt(client, "salah", username=f"pengguna{n}", REMOTE_ADDR="198.51.100.8")
    response = attempt(client, PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert locked(response) is is_locked
    if is_locked:
        assert "Terlalu banyak percobaan dari alamat ini" in response.content.decode()
    # Another address is not held back.
    assert attempt(client, PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_a_few_typos_in_a_shared_office_lock_nobody_else(client, dinas, camat):
    for _ in range(4):
        attempt(client, "salah", REMOTE_ADDR="198.51.100.10")
    assert (
        attempt(client, PASSWORD, username=camat.username, REMOTE_ADDR="198.51.100.10").status_code
        == 302
    )
