"""Time and extra memory of a 5,000-row import of each kind: the preview and the
confirmation, as the browser asks for them.

    DEBUG=1 python scripts/measure_imports.py                 # SQLite (db.sqlite3)
    DATABASE_URL=postgres://... DEBUG=1 python scripts/measure_imports.py

It edits workbooks with the tests' own helpers (tests/workbooks.py) and works in
one transaction on the configured database, rolled back at the end: the
villages and people it makes, and what the imports save, are gone afterwards. For
each kind it exports the records, changes every row as an officer would (a new RW,
a new phone number, this month's figures), sends the file back and confirms it,
and prints seconds and the peak of memory allocated (tracemalloc, in a run of its
own) for each step.
"""

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kampungkb.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from accounts.models import Profile  # noqa: E402
from tests.workbooks import confirm, export, upload  # noqa: E402
from villages.models import City, KampungKB, Kelurahan, Person  # noqa: E402

ROWS = 5000


def timed(step):
    started = time.perf_counter()
    response = step()
    return response, time.perf_counter() - started


def traced(step):
    """The peak of memory allocated during `step` (traced apart from the timing: the
    tracing slows Python down several times)."""
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024 / 1024


def run(client, kind, edit, **params):
    sheet = export(client, kind, **params)
    for line in range(2, sheet.sheet.max_row + 1):
        edit(sheet, line)
    content = sheet.content()
    preview_mb = traced(lambda: upload(client, kind, content))
    with transaction.atomic():  # saved, measured, and undone
        confirm_mb = traced(lambda: confirm(client, kind))
        transaction.set_rollback(True)
    preview, preview_s = timed(lambda: upload(client, kind, content))
    counts = preview.context["preview"].counts()
    saved, confirm_s = timed(lambda: confirm(client, kind))
    assert saved.status_code == 302, counts
    print(
        f"{kind:<8} {ROWS:>5} rows  preview {preview_s:5.2f} s {preview_mb:6.1f} MB   "
        f"confirm {confirm_s:5.2f} s {confirm_mb:6.1f} MB   {counts}"
    )


def main():
    city = City.objects.get(code="61.71")
    kelurahan = list(Kelurahan.objects.filter(district__city=city))
    user = User.objects.create_user("ukur.impor")
    user.groups.add(Group.objects.get(name="dinas"))
    Profile.objects.create(user=user).cities.add(city)
    KampungKB.objects.bulk_create(
        KampungKB(name=f"Kampung KB Ukur {n:05d}", kelurahan=kelurahan[n % len(kelurahan)])
        for n in range(ROWS)
    )
    Person.objects.bulk_create(
        Person(name=f"Warga Ukur {n:05d}", sex="P", city=city, phone=f"0812{n:08d}")
        for n in range(ROWS)
    )
    client = Client()
    client.force_login(user)

    def new_rw(sheet, line):
        sheet.set(line, "RW yang dicakup", "RW 01, RW 02", as_text=True)

    def new_phone(sheet, line):
        sheet.set(line, "Telepon", f"0813{line:08d}", as_text=True)

    def figures(sheet, line):
        sheet.set(line, "PUS", 200)
        sheet.set(line, "Peserta pil", 50)
        sheet.set(line, "Pokja terbentuk", "Ya")
        sheet.set(line, "Program yang ada", "BKB (Bina Keluarga Balita); UPPKA")

    print(f"database: {connection.vendor}")
    run(client, "kampung", new_rw)
    run(client, "orang", new_phone)
    run(client, "profil", figures, bulan="2024-03")


if __name__ == "__main__":
    setup_test_environment()  # the test client's host, and the pages' context to read
    with transaction.atomic():
        main()
        transaction.set_rollback(True)
