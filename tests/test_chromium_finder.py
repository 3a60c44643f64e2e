"""The browser tests find Chromium on any machine, or stop at once saying how to
get one (tests/browser/chromium.py)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.chromium import MISSING, ChromiumMissing, find_chromium

REPO = Path(__file__).resolve().parent.parent


def executable(folder, name):
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def nothing():
    return None


def test_chromium_named_in_the_environment_comes_first(tmp_path):
    named = executable(tmp_path, "my-browser")
    executable(tmp_path, "chromium")
    environ = {"CHROMIUM": named, "PATH": str(tmp_path)}
    assert find_chromium(environ, own=nothing, install=nothing) == named


def test_a_chromium_variable_that_names_no_executable_says_so(tmp_path):
    with pytest.raises(ChromiumMissing, match="is not an executable"):
        find_chromium({"CHROMIUM": str(tmp_path / "missing")}, own=nothing, install=nothing)


@pytest.mark.parametrize("name", ["chromium", "chromium-browser", "google-chrome"])
def test_each_usual_name_on_the_path_is_found(tmp_path, name):
    found = executable(tmp_path, name)
    assert find_chromium({"PATH": str(tmp_path)}, own=nothing, install=nothing) == found


def test_playwrights_own_chromium_after_the_path(tmp_path):
    own = executable(tmp_path, "chrome")
    assert find_chromium({"PATH": ""}, own=lambda: own, install=nothing) == own


def test_playwrights_chromium_is_installed_once_when_nothing_else_is_there(tmp_path):
    installed = []

    def install():
        installed.append(executable(tmp_path, "chrome"))
        return True

    def own():
        return installed[0] if installed else None

    assert find_chromium({"PATH": ""}, own=own, install=install) == installed[0]
    assert len(installed) == 1


def test_with_no_browser_to_be_had_the_message_says_how_to_get_one():
    with pytest.raises(ChromiumMissing) as missing:
        find_chromium({"PATH": ""}, own=nothing, install=lambda: False)
    assert str(missing.value) == MISSING


def run_without_a_browser(tmp_path, **environment):
    """pytest on the door's browser tests and one other test, with no Chromium on PATH,
    none of Playwright's, and its download host unreachable."""
    environ = {
        **{k: v for k, v in os.environ.items() if k not in ("CHROMIUM", "CI")},
        "PATH": str(Path(sys.executable).parent),
        "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path),
        "PLAYWRIGHT_DOWNLOAD_HOST": "http://127.0.0.1:9",
        **environment,
    }
    other = f"tests/{Path(__file__).name}::{test_each_usual_name_on_the_path_is_found.__name__}"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/browser/test_door.py", other]
        + ["-q", "-p", "no:cacheprovider"],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_on_a_developers_machine_the_rest_runs_and_the_skip_is_said_at_the_end(tmp_path):
    started = time.monotonic()
    run = run_without_a_browser(tmp_path)
    assert run.returncode == pytest.ExitCode.OK, run.stdout + run.stderr
    *_, said, counts = run.stdout.strip().splitlines()
    assert said.endswith(f"browser tests were skipped: {MISSING}")
    assert "3 passed" in counts and "skipped" in counts
    assert time.monotonic() - started < 60


def test_in_ci_a_run_with_no_browser_stops_before_its_first_test(tmp_path):
    run = run_without_a_browser(tmp_path, CI="true")
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout + run.stderr
    assert f"CI: {MISSING}" in run.stdout + run.stderr
    assert "passed" not in run.stdout
