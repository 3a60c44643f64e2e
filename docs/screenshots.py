"""Take the README's screenshots from the demo data.

    python manage.py demo            # in one terminal: demo data, served on :8000
    python docs/screenshots.py       # in another: writes docs/screenshots/*.png

Needs Playwright (requirements-dev.txt) and Debian's chromium.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
CHROMIUM = {
    "executable_path": "/usr/bin/chromium",
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ],
}
#: (file, user, path or None for "follow the first link", viewport, full page)
SHOTS = [
    ("village-page-phone", "lurah.sungaibangkong", None, PHONE, True),
    ("village-list", "dinas.pontianak", "/kampung/", DESKTOP, False),
    ("attendance-grid-phone", "dinas.pasuruan", "lokakarya:kehadiran/", PHONE, False),
    ("lokakarya-summary", "dinas.pasuruan", "lokakarya:", DESKTOP, False),
    ("coverage-matrix", "dinas.pontianak", "/pembinaan/?mulai=2018-04", DESKTOP, False),
    ("dashboard", "dinas.pontianak", "/", DESKTOP, False),
]


def sign_in(page, username):
    page.goto(f"{BASE}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "kampungkb-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{BASE}/")


def resolve(page, path):
    """'lokakarya:<rest>' opens the lokakarya's page from the event list first."""
    if path is None:
        page.locator("main .list-group a").first.click()
        return
    if path.startswith("lokakarya:"):
        page.goto(f"{BASE}/pelatihan/")
        page.get_by_role("link", name="Lokakarya Tingkat Kota").click()
        page.goto(page.url + path.removeprefix("lokakarya:"))
        return
    page.goto(BASE + path)


def main():
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**CHROMIUM)
        for name, user, path, viewport, full_page in SHOTS:
            context = browser.new_context(viewport=viewport, device_scale_factor=1)
            page = context.new_page()
            sign_in(page, user)
            resolve(page, path)
            page.screenshot(path=OUT / f"{name}.png", full_page=full_page)
            print(f"{name}: {page.url}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
