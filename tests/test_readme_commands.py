"""The README's two commands, verbatim, in a fresh copy of the project with the
system's own Python, the one that refuses `pip install` outside a virtual
environment (PEP 668). Slow: the default run leaves it out, `.ci/run` runs it with
`pytest -m slow`."""

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STOCK_PYTHON = Path("/usr/bin/python3")
DEMO_URL = "http://127.0.0.1:8000/akun/masuk/"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not STOCK_PYTHON.exists(), reason="no system Python at /usr/bin/python3"),
]


def readme_commands():
    """The commands of the README's "Two commands" section, as a reader copies them."""
    section = (REPO / "README.md").read_text().split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, re.DOTALL)


@pytest.fixture
def fresh_copy(tmp_path):
    """The project's files as git knows them, with none of this checkout's
    environment, database or media."""
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    copy = tmp_path / "kampungkb"
    for name in filter(None, files):
        if (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    return copy


def shell_environment():
    """What a new user's shell has: the system's tools first, pip's settings, no
    project variables."""
    kept = {key: value for key, value in os.environ.items() if key.startswith("PIP_")}
    kept.update(HOME=os.environ["HOME"], PATH=f"{STOCK_PYTHON.parent}:/bin", LANG="C.UTF-8")
    if os.environ.get("CI"):
        kept["CI"] = os.environ["CI"]
    return kept


def wait_for(url, process, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            time.sleep(2)
    raise AssertionError(f"{url} did not answer (exit code {process.poll()})")


def test_the_stock_python_refuses_a_system_wide_install():
    refused = subprocess.run(
        [STOCK_PYTHON, "-m", "pip", "install", "--dry-run", "django"],
        capture_output=True,
        text=True,
        env=shell_environment(),
    )
    assert refused.returncode != 0
    assert "externally-managed-environment" in refused.stderr + refused.stdout


def test_the_first_command_serves_the_demo_with_its_logins(fresh_copy):
    demo, _ = readme_commands()
    serving = subprocess.Popen(
        ["bash", "-c", demo],
        cwd=fresh_copy,
        env=shell_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        status, page = wait_for(DEMO_URL, serving, seconds=900)
    finally:
        os.killpg(serving.pid, signal.SIGTERM)
        said = serving.communicate(timeout=60)[0]
    assert status == 200 and "Nama pengguna" in page
    assert "dinas.pontianak" in said, said[-3000:]
    assert (fresh_copy / "db.sqlite3").is_file()


def test_the_second_command_runs_the_suite_and_it_passes(fresh_copy):
    _, tests = readme_commands()
    run = subprocess.run(
        ["bash", "-c", tests],
        cwd=fresh_copy,
        env=shell_environment(),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    summary = run.stdout.strip().splitlines()[-1]
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-3000:]
    assert " passed" in summary and "failed" not in summary
