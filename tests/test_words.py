"""The words every page shows, read as an officer reads them: crawled from the
dashboard as each demo user, the admin's pages as the admin, each page checked for a
word said twice ("Kota Kota", "pengguna pengguna"), English among the Indonesian, an
admin column named after code, and a script it needs but does not load."""

import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, label_for_field
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist
from django.urls import Resolver404, resolve

from overview.demo_users import DEMO_USERS

pytestmark = pytest.mark.django_db

#: Pages of one kind (one URL name) read per user: enough to meet each kind's words.
PER_KIND = 3
#: Addresses that are documents, feeds or actions, not pages to read.
NOT_PAGES = re.compile(r"\.(pdf|xlsx|ics|js|png|jpe?g)$|/keluar/|/logout/|format=|/foto/")
#: Words of English that no Indonesian sentence of the app has.
ENGLISH = {
    "the", "and", "of", "with", "for", "this", "that", "is", "are", "not", "none", "true",
    "false", "save", "delete", "search", "add", "change", "required", "field", "page",
    "previous", "next", "yes", "select", "history", "home", "view", "site", "filter",
}  # fmt: skip
#: A word said twice in a row; Indonesian doubles words with a hyphen (kader-kader).
REPEATED = re.compile(r"\b([^\W\d_]{3,})\s+\1\b", re.IGNORECASE)


def text_nodes(html):
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", "<>", html, flags=re.DOTALL)
    return [unescape(node) for node in re.split(r"<[^>]+>", html) if node.strip()]


def slips(html, english):
    """What a reader would stumble on in a page; `english`: whether to look for
    English words too (the admin's own permission names are Django's English)."""
    nodes = text_nodes(html)
    found = [f"said twice: {m[0]!r}" for node in nodes for m in REPEATED.finditer(node)]
    if english:
        words = {word.lower() for node in nodes for word in re.findall(r"[A-Za-z]+", node)}
        found += [f"English: {word!r}" for word in sorted(words & ENGLISH)]
    if "hx-" in html and "htmx.min" not in html:
        found.append("htmx attributes without htmx")
    if "data-chart=" in html and "data-chart-src=" not in html:
        found.append("a chart without Chart.js")
    return found


def crawl(client, start, english=True, limit=400):
    """{address: slips} of every page reachable by links from `start`, at most
    PER_KIND of each URL name; from the app's pages, not into the admin. A link that
    answers an error is a slip of the page that shows it."""
    per_kind, queue, found = Counter(), deque([(start, None)]), {}
    seen = {start}
    while queue and len(found) < limit:
        address, shown_on = queue.popleft()
        response = client.get(address, follow=True)
        if response.status_code >= 400:
            found[shown_on].append(f"a link that answers {response.status_code}: {address}")
            continue
        if "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        found[address] = slips(html, english)
        for link in re.findall(r'href="([^"#]+)"', html):
            link = unescape(link)
            parts = urlsplit(link)
            if parts.netloc or not link.startswith(start) or NOT_PAGES.search(link):
                continue
            if start == "/" and link.startswith("/admin/"):
                continue
            try:
                kind = resolve(parts.path).view_name
            except Resolver404:
                continue
            if link not in seen and per_kind[kind] < PER_KIND:
                seen.add(link)
                per_kind[kind] += 1
                queue.append((link, address))
    return found


@pytest.mark.parametrize("username", [username for username, *_ in DEMO_USERS])
def test_every_page_reads_as_indonesian_without_a_word_said_twice(client, demo, username):
    client.force_login(User.objects.get(username=username))
    pages = crawl(client, "/")
    assert len(pages) >= (5 if username.startswith("lurah.") else 30)
    assert {address: found for address, found in pages.items() if found} == {}


def test_the_admin_is_the_apps_and_says_no_word_twice(admin_client, demo):
    index = admin_client.get("/admin/").content.decode()
    assert "<title>Administrasi Kampung KB" in index and "Django" not in visible(index)
    pages = crawl(admin_client, "/admin/", english=False)
    assert len(pages) > 100
    assert {address: found for address, found in pages.items() if found} == {}


def visible(html):
    return " ".join(text_nodes(html))


def test_every_admin_column_and_filter_of_the_app_is_named_in_indonesian():
    """A field without a verbose name, or a method without a description, would show
    its code name ("REGISTRATION", "GET FULL NAME") at the head of a column."""
    unnamed = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        for name in [*model_admin.list_display, *model_admin.list_filter]:
            if isinstance(name, str) and name != "__str__" and not named(model, model_admin, name):
                unnamed.append(f"{model.__name__}: {name}")
    assert unnamed == []


#: The apps whose admin is the project's own (Django's User admin is re-registered).
APPS = {"auth", "accounts", "villages", "training", "coaching", "overview"}


def named(model, model_admin, name):
    try:
        field = get_fields_from_path(model, name)[-1]
    except (FieldDoesNotExist, NotRelationField):
        label = str(label_for_field(name, model, model_admin))
        return label.lower() != name.replace("_", " ").lower()
    return getattr(field, "_verbose_name", True) is not None
