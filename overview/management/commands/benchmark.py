"""Measure the main pages under load, as ratios to a hello-world view of the same run.

Starts gunicorn against the configured database with production settings, loads
each page with wrk (Debian package `wrk`) on loopback for a bounded time, and
prints a table, then one JSON line. Run `generate_scale` first.

With `--baseline DIR --baseline-database-url URL`, the release checked out in DIR
is served too, on a copy of the same data that its own `migrate` brought up to
date, and each page is loaded on both in turn: the table adds each page's
throughput as a ratio to the baseline's.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from cachalot.api import cachalot_disabled
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from kampungkb.paging import AFTER, KEY, NUMBER, PAGE_SIZE
from training.models import TrainingEvent
from villages.models import KampungKB

from .generate_scale import BENCH_USER, LOKAKARYA_CODE

#: Measured signed out: the baseline is the bare stack, with no session to load.
PUBLIC = {"hello", "login"}
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p95_us": %d, "non2xx": %d, "errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(95), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


#: Run by `manage.py shell` of the release measured: a session of the benchmark user,
#: made by that release's own session engine and backend.
SESSION_SCRIPT = f"""
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
user = User.objects.get(username={BENCH_USER!r})
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def benchmark_pages():
    """The pages measured, by name; `generate_scale` made the data they show."""
    village = KampungKB.objects.order_by("pk").first()
    event = TrainingEvent.objects.get(code=LOKAKARYA_CODE)
    villages = reverse("villages:list")
    # Page 500 as its link reaches it: after the last row of page 499 (or of the
    # last page, with less data).
    active = KampungKB.objects.active()
    rows = active.order_by("name", "id").values_list("pk", "name", named=True)
    before_500 = rows[min(PAGE_SIZE * 499, active.count()) - 1]
    page_500 = urlencode({AFTER: before_500.pk, KEY: before_500.name, NUMBER: 500})
    return {
        "hello": reverse("alive"),
        # A signed-in page with the whole layout (menu, forms, static links) and next
        # to no content: what any page pays before showing its own data.
        "layout_only": reverse("accounts:password_change_done"),
        "login": reverse("accounts:login"),
        "village_list_p1": f"{villages}?status=aktif&page=1",
        "village_list_p500": f"{villages}?status=aktif&{page_500}",
        "village_page": reverse("overview:village", args=[village.pk]),
        "participants_155": reverse("training:participants", args=[event.pk]),
        "attendance_grid_155x2": reverse("training:attendance", args=[event.pk]),
        "coverage_matrix": reverse("coaching:matrix") + "?mulai=2025-01",
        "dashboard": reverse("overview:dashboard"),
    }


def benchmark_documents(event):
    """The printed documents of the 155-person lokakarya, by name."""
    return {
        "certificates_155": reverse("training:certificates_pdf", args=[event.pk]),
        "cards_155": reverse("training:cards_pdf", args=[event.pk]),
        "daftar_hadir_155": reverse("training:attendance_pdf", args=[event.pk]),
        "summary": reverse("training:summary", args=[event.pk]) + "?format=pdf",
    }


def _workers_peak_rss(master_pid):
    """The largest peak resident memory (kB) among gunicorn's workers."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))
    return max(peaks, default=0)


def _median(loads):
    """Each figure of several loads of a page, the median of its values (a machine
    shared with others runs some loads slower than the rest); the errors, the most
    any load had."""
    figures = {key: statistics.median(load[key] for load in loads) for key in loads[0]}
    for key in ("non2xx", "errors"):
        figures[key] = max(load[key] for load in loads)
    return figures


def count_queries(user, pages):
    """Queries per page as a warm worker sends them on a miss of the query cache:
    production settings, signed out for the public pages; each page is asked twice and
    the second counted."""
    client = Client()
    counts = {}
    with (
        override_settings(DEBUG=False, ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False),
        cachalot_disabled(),
    ):
        for name, path in pages.items():
            if name in PUBLIC:
                client.logout()
            else:
                client.force_login(user)
            client.get(path)
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path).status_code
            if status != 200:
                raise CommandError(f"{path} answered {status}")
            counts[name] = len(captured)
    return counts


class Command(BaseCommand):
    help = "Load the main pages with wrk against gunicorn; report ratios to a hello-world view."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10, help="Load time per page.")
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="Loads of each page (in turn with the baseline's); the median is reported.",
        )
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--baseline", type=Path, help="A checkout of the release to compare.")
        parser.add_argument("--baseline-database-url", help="Its copy of the same data.")

    def handle(self, *args, seconds, rounds, connections, workers, port, baseline, **options):
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: apt-get install wrk")
        if bool(baseline) != bool(options["baseline_database_url"]):
            raise CommandError("--baseline and --baseline-database-url go together.")
        user = User.objects.filter(username=BENCH_USER).first()
        if user is None:
            raise CommandError("Run `python manage.py generate_scale` first.")
        pages = benchmark_pages()
        queries = count_queries(user, pages)
        releases = {"new": (settings.BASE_DIR, os.environ.get("DATABASE_URL"), port)}
        if baseline:
            releases["old"] = (baseline.resolve(), options["baseline_database_url"], port + 1)
        with ExitStack() as stack:
            servers = {
                name: stack.enter_context(self.gunicorn(*release, workers))
                for name, release in releases.items()
            }
            cookies = {
                name: self.browser_cookie(*releases[name], pages["layout_only"])
                for name in releases
            }
            results = {name: {} for name in releases}
            for page, path in pages.items():
                loads = {name: [] for name in releases}
                for round_ in range(rounds):
                    # Each release goes first in every other round, so that neither
                    # always meets the machine as the other left it.
                    turns = list(releases.items())[:: -1 if round_ % 2 else 1]
                    for name, (_code, _database, served_on) in turns:
                        cookie = None if page in PUBLIC else cookies[name]
                        url = f"http://127.0.0.1:{served_on}{path}"
                        loads[name].append(self.load(url, cookie, seconds, connections))
                for name in releases:
                    results[name][page] = _median(loads[name])
            export_url = f"http://127.0.0.1:{port}{reverse('villages:export')}"
            export = self.download(export_url, cookies["new"], servers["new"].pid)
            documents = self.time_documents(port, cookies["new"], rounds)
        self.report(results["new"], queries, export, documents, baseline=results.get("old"))

    def browser_cookie(self, code, database_url, port, path):
        """The cookies a signed-in browser sends: its session, and the CSRF cookie the
        first page it was shown set (without it, every page would make a new one)."""
        session = f"{settings.SESSION_COOKIE_NAME}={self.session_for(code, database_url)}"
        url = f"http://127.0.0.1:{port}{path}"
        request = urllib.request.Request(url, headers={"Cookie": session})
        with urllib.request.urlopen(request, timeout=30) as response:
            jar = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie", []):
                jar.load(header)
        return f"{session}; {settings.CSRF_COOKIE_NAME}={jar[settings.CSRF_COOKIE_NAME].value}"

    def session_for(self, code, database_url):
        """A session of the benchmark user, made by the release in `code` with its
        own session engine."""
        output = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SESSION_SCRIPT],
            cwd=code,
            env=self.server_env(database_url),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return output.strip().splitlines()[-1]

    def server_env(self, database_url):
        env = {
            **os.environ,
            "DEBUG": "0",
            # The sessions the load carries are signed with this process's key.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "ERROR",
        }
        if database_url:
            env["DATABASE_URL"] = database_url
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        return env

    @contextmanager
    def gunicorn(self, code, database_url, port, workers):
        env = self.server_env(database_url)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=code,
            env=env,
            check=True,
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kampungkb.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",  # as the README deploys it: room for the full export
            ],
            cwd=code,
            env=env,
        )
        try:
            self.wait_until_up(f"http://127.0.0.1:{port}{reverse('health')}")
            yield server
        finally:
            server.terminate()
            server.wait(timeout=30)

    def wait_until_up(self, url):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise CommandError("gunicorn did not start within 30 s")

    def load(self, url, cookie, seconds, connections):
        self.check_answers(url, cookie)
        headers = ["-H", f"Cookie: {cookie}"] if cookie else []
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_REPORT)
        try:
            output = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    script.name,
                    *headers,
                    url,
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
                check=True,
            ).stdout
        finally:
            os.unlink(script.name)
        result = json.loads(output.strip().splitlines()[-1])
        result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
        self.stdout.write(f"  {url}: {result['rps']:.0f} req/s", ending="\n")
        return result

    def check_answers(self, url, cookie):
        """The page must answer 200 itself: a redirect to sign-in would be measured too."""
        request = urllib.request.Request(url)
        if cookie:
            request.add_header("Cookie", cookie)
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200 or response.url != url:
                raise CommandError(f"{url} answered {response.status} at {response.url}")

    def download(self, url, cookie, master_pid):
        """The whole village export, once: seconds to the first and the last byte,
        and how much the workers' peak memory grew meanwhile."""
        before = _workers_peak_rss(master_pid)
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=600) as response:
            first_block = response.read(64 * 1024)
            first_byte = time.monotonic() - started
            size = len(first_block)
            while block := response.read(64 * 1024):
                size += len(block)
        return {
            "villages": KampungKB.objects.count(),
            "seconds": round(time.monotonic() - started, 1),
            "first_byte_s": round(first_byte, 2),
            "megabytes": round(size / 1e6, 1),
            "peak_rss_growth_mb": round((_workers_peak_rss(master_pid) - before) / 1024, 1),
        }

    def time_documents(self, port, cookie, rounds):
        """Seconds to download each printed document of the 155-person lokakarya (the
        median of `rounds`), and its size."""
        event = TrainingEvent.objects.get(code=LOKAKARYA_CODE)
        timings = {}
        for name, path in benchmark_documents(event).items():
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie}
            )
            seconds = []
            for _round in range(rounds):
                started = time.monotonic()
                with urllib.request.urlopen(request, timeout=120) as response:
                    content = response.read()
                seconds.append(time.monotonic() - started)
            if not content.startswith(b"%PDF"):
                raise CommandError(f"{path} is no PDF")
            timings[name] = {
                "seconds": round(statistics.median(seconds), 2),
                "kilobytes": len(content) // 1024,
            }
        return timings

    def report(self, results, queries, export, documents, baseline=None):
        hello = results["hello"]
        rows, summary = [], {}
        for name, result in results.items():
            ratio = result["rps"] / hello["rps"]
            p95_ratio = result["p95_us"] / max(hello["p95_us"], 1)
            summary[name] = {
                "rps": round(result["rps"], 1),
                "rps_ratio": round(ratio, 3),
                "p95_ms": round(result["p95_us"] / 1000, 1),
                "p95_ratio": round(p95_ratio, 2),
                "queries": queries[name],
                "non2xx": result["non2xx"] + result["errors"],
            }
            if baseline:
                old = baseline[name]
                summary[name]["baseline_rps"] = round(old["rps"], 1)
                summary[name]["new_over_old"] = round(result["rps"] / old["rps"], 3)
                summary[name]["non2xx"] += old["non2xx"] + old["errors"]
            versus = f"{summary[name]['new_over_old']:>10.3f}" if baseline else ""
            rows.append(
                f"{name:<24}{result['rps']:>9.1f}{ratio:>8.3f}"
                f"{result['p95_us'] / 1000:>10.1f}{p95_ratio:>8.2f}{queries[name]:>8}"
                f"{summary[name]['non2xx']:>8}{versus}"
            )
        self.stdout.write(
            f"\n{'page':<24}{'req/s':>9}{'ratio':>8}{'p95 ms':>10}{'p95 ×':>8}"
            f"{'queries':>8}{'errors':>8}" + (f"{'new/old':>10}" if baseline else "")
        )
        self.stdout.write("\n".join(rows))
        self.stdout.write(
            f"\nExport of {export['villages']:,} villages: {export['seconds']} s "
            f"(first byte after {export['first_byte_s']} s), {export['megabytes']} MB; "
            f"worker peak memory grew {export['peak_rss_growth_mb']} MB"
        )
        for name, timing in documents.items():
            self.stdout.write(f"{name:<24}{timing['seconds']:>6.2f} s {timing['kilobytes']:>6} KB")
        self.stdout.write(
            json.dumps(
                {
                    "database": connection.vendor,
                    "pages": summary,
                    "export": export,
                    "documents": documents,
                }
            )
        )
