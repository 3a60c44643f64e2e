"""Where the browser tests find Chromium, on any machine.

In order: the `CHROMIUM` environment variable; `chromium`, `chromium-browser` or
`google-chrome` on `PATH`; the Chromium Playwright keeps for itself. Where none is
there, `python -m playwright install chromium` is tried once; if that fails too the
run stops before any test with `MISSING`.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome")
MISSING = (
    "The browser tests need Chromium, and none was found. Install one "
    "(Debian/Ubuntu: apt-get install chromium), or run "
    "`python -m playwright install chromium`, or point CHROMIUM at a Chromium or "
    "Chrome executable."
)


class ChromiumMissing(Exception):
    pass


def playwright_chromium():
    """The Chromium Playwright downloads for itself, if it is there."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = Path(playwright.chromium.executable_path)
    return str(path) if path.is_file() else None


def install_playwright_chromium():
    command = [sys.executable, "-m", "playwright", "install", "chromium"]
    try:
        return subprocess.run(command, capture_output=True, timeout=600).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def find_chromium(environ=os.environ, own=playwright_chromium, install=install_playwright_chromium):
    """The path of a Chromium to drive, or ChromiumMissing."""
    if environ.get("CHROMIUM"):
        if not os.access(environ["CHROMIUM"], os.X_OK):
            raise ChromiumMissing(f"CHROMIUM={environ['CHROMIUM']} is not an executable. {MISSING}")
        return environ["CHROMIUM"]
    for name in NAMES:
        if found := shutil.which(name, path=environ.get("PATH")):
            return found
    if found := own():
        return found
    if install() and (found := own()):
        return found
    raise ChromiumMissing(MISSING)
