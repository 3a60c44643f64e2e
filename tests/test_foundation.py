"""The base: settings, reference data, demo logins, language switch."""

import csv
import gzip
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from villages.models import Agency, City, District, Kelurahan
from villages.reference import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "kampungkb.example.go.id",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_manage(*args, env):
    test_only = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_to_start_without_secret_key():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def _reference_rows(level):
    with open(DATA_DIR / "wilayah.csv", encoding="utf-8") as handle:
        return {
            row["kode"]: row["nama"] for row in csv.DictReader(handle) if row["tingkat"] == level
        }


@pytest.mark.django_db
def test_reference_data_has_exactly_the_kemendagri_regions():
    assert District.objects.count() == 10
    assert Kelurahan.objects.count() == 63
    assert dict(Kelurahan.objects.values_list("code", "name")) == _reference_rows("kelurahan")
    assert Kelurahan.objects.get(code="61.71.05.1001").name == "Sungaibangkong"
    assert Kelurahan.objects.get(code="35.75.01.1001").name == "Karangketug"
    assert Kelurahan.objects.get(code="35.75.01.1001").district.name == "Gadingrejo"


@pytest.mark.django_db
def test_loading_reference_data_twice_changes_nothing():
    before = [list(m.objects.order_by("pk").values()) for m in (City, District, Kelurahan, Agency)]
    call_command("load_reference", stdout=StringIO())
    after = [list(m.objects.order_by("pk").values()) for m in (City, District, Kelurahan, Agency)]
    assert before == after
    assert Agency.objects.filter(abbreviation="DINKES", name="Dinas Kesehatan").exists()


@pytest.mark.django_db
def test_a_kemendagri_change_is_said_and_kept_in_the_regions_history(
    tmp_path, monkeypatch, client, dinas, village_sungaibangkong
):
    lines = (DATA_DIR / "wilayah.csv").read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith("61.71.05.1003,")]  # retired
    lines = [line.replace(",Sungaibangkong,", ",Sungai Bangkong,") for line in lines]
    lines.append("61.71.05.1099,Sungai Baru,kelurahan,61.71.05")
    (tmp_path / "wilayah.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "instansi.csv").write_bytes((DATA_DIR / "instansi.csv").read_bytes())
    monkeypatch.setattr("villages.reference.DATA_DIR", tmp_path)
    out = StringIO()
    call_command("load_reference", stdout=out)
    said = out.getvalue()
    assert "1 wilayah baru:\n  kelurahan 61.71.05.1099 Sungai Baru" in said
    assert "kelurahan 61.71.05.1001: Sungaibangkong → Sungai Bangkong" in said
    retired = "tidak ada lagi di berkas Kemendagri (tetap disimpan):\n  kelurahan 61.71.05.1003"
    assert retired in said
    assert Kelurahan.objects.filter(code="61.71.05.1003").exists()

    client.force_login(dinas)
    history = client.get(reverse("villages:history", args=[village_sungaibangkong.pk]))
    page = history.content.decode()
    assert "kelurahan Sungai Bangkong" in page and "Sungaibangkong" in page

    out = StringIO()
    call_command("load_reference", stdout=out)  # again: nothing new, still retired
    assert "wilayah baru" not in out.getvalue() and "berganti" not in out.getvalue()
    assert "kelurahan 61.71.05.1003 Tengah" in out.getvalue()


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client, dinas):
    response = client.post(
        reverse("accounts:login"), {"username": "dinas.pontianak", "password": "salah"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nama pengguna atau kata sandi salah." in page and "data-error-summary" in page
    assert 'value="dinas.pontianak"' in page  # kept, to try again


@pytest.mark.django_db
def test_the_admins_sign_in_says_a_wrong_password_once(client, admin_user):
    response = client.post(reverse("admin:login"), {"username": "admin", "password": "salah"})
    page = response.content.decode()
    assert "Nama pengguna atau kata sandi salah, atau akun ini bukan akun staf." in page
    assert "pengguna nama pengguna" not in page and "Kampung KB" in page


def test_pages_travel_compressed_to_a_browser_that_takes_it(client, dinas):
    """A quarter of the bytes on a slow connection; the CSRF token in every page is
    masked anew each time, so that compression cannot be used to guess it (BREACH)."""
    client.force_login(dinas)
    pages = [client.get(reverse("villages:list"), HTTP_ACCEPT_ENCODING="gzip") for _ in "ab"]
    assert all(page["Content-Encoding"] == "gzip" for page in pages)
    html = [gzip.decompress(page.content).decode() for page in pages]
    assert "Kampung KB" in html[0] and len(pages[0].content) < len(html[0]) / 3
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1] for page in html]
    assert tokens[0] != tokens[1]


def test_language_switch_changes_the_page_language(client, dinas):
    client.force_login(dinas)
    page = client.get(reverse("overview:dashboard")).content.decode()
    assert '<html lang="id">' in page and "Dasbor" in page
    client.post(reverse("set_language"), {"language": "en", "next": reverse("overview:dashboard")})
    page = client.get(reverse("overview:dashboard")).content.decode()
    assert '<html lang="en">' in page and "Dashboard" in page


def test_the_menu_drawn_once_follows_the_role_and_the_page(
    client, dinas, lurah_sungaibangkong, village_sungaibangkong
):
    training = f'href="{reverse("training:list")}"'
    client.force_login(dinas)
    assert training in client.get(reverse("overview:dashboard")).content.decode()
    client.force_login(lurah_sungaibangkong)
    assert training not in client.get(reverse("overview:dashboard")).content.decode()
    page = client.get(village_sungaibangkong.get_absolute_url()).content.decode()
    assert active_menu(page) == [reverse("villages:list")]


def active_menu(page):
    """The addresses of the main menu's items marked as the current section."""
    menu = page[page.index('<div class="collapse navbar-collapse"') : page.index("</nav>")]
    return re.findall(r'<a class="nav-link active" aria-current="page"\s+href="([^"]+)">', menu)


@pytest.mark.parametrize(
    "url_name, item",
    [
        ("villages:person_list", "villages:person_list"),
        ("villages:pokja_list", "villages:pokja_list"),
        ("villages:agency_list", "villages:agency_list"),
        ("villages:list", "villages:list"),
        ("training:list", "training:list"),
        ("coaching:needs", "coaching:matrix"),
        ("overview:dashboard", "overview:dashboard"),
    ],
)
def test_the_menu_marks_the_section_of_the_page_alone(client, dinas, url_name, item):
    client.force_login(dinas)
    assert active_menu(client.get(reverse(url_name)).content.decode()) == [reverse(item)]


def test_indonesian_is_the_default_whatever_the_browser_asks(client, dinas):
    client.force_login(dinas)
    page = client.get(
        reverse("overview:dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en"
    ).content.decode()
    assert '<html lang="id">' in page


def test_pages_forbid_framing_and_inline_scripts(client, dinas):
    client.force_login(dinas)
    response = client.get(reverse("overview:dashboard"))
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()


def test_every_admin_list_opens_with_search(client, admin_user, village_sungaibangkong):
    from django.contrib import admin

    client.force_login(admin_user)
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        query = {"q": "Bangkong"} if model_admin.search_fields else {}
        assert client.get(url, query).status_code == 200, url
