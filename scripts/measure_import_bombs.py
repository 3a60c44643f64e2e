"""Time and extra memory to refuse each hostile workbook of tests/test_imports.py.

    DEBUG=1 python scripts/measure_import_bombs.py

Reads each file through the person importer as the upload view does (no web
request: the figures are the importer's own) and prints seconds and the peak of
memory allocated while reading, as tracemalloc counts it.
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

from django.contrib.auth.models import User  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from tests import test_imports as files  # noqa: E402
from villages.excel import PersonImporter  # noqa: E402

CASES = {
    "unpacks to 1.1 GB": lambda: files.one_cell(1100 * 1024 * 1024),
    "one cell of 200 MB": lambda: files.one_cell(200 * 1024 * 1024),
    "1,000,000 identical rows": lambda: files.many_rows(1_000_000),
    "sheet of 1,000,000 lines, 2 rows": lambda: files.sparse_rows(1_000_000),
    "the same, dimension says 2 rows": lambda: files.sparse_rows(1_000_000).replace(
        b'<dimension ref="A1:G1000000"/>', b'<dimension ref="A1:G2"/>'
    ),
    "5,001 data rows": lambda: files.workbook(
        [files.PERSON_HEADINGS, *[files.person(f"Orang {n}") for n in range(5001)]]
    ),
    "5,000 data rows (accepted)": lambda: files.workbook(
        [files.PERSON_HEADINGS, *[files.person(f"Orang {n}") for n in range(5000)]]
    ),
}


def main():
    importer = PersonImporter(User(is_superuser=True))
    print(f"{'file':36} {'size':>9} {'seconds':>8} {'peak MB':>8}  answer")
    for name, build in CASES.items():
        content = build()
        started = time.perf_counter()
        preview = importer.read(SimpleUploadedFile("bomb.xlsx", content))
        seconds = time.perf_counter() - started
        tracemalloc.start()  # a second read: tracing slows Python several times over
        importer.read(SimpleUploadedFile("bomb.xlsx", content))
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        size = f"{len(content) / 1024:,.0f} KB"
        print(f"{name:36} {size:>9} {seconds:8.3f} {peak:8.1f}  {preview.file_error[:40]}")


if __name__ == "__main__":
    main()
