"""A kelurahan officer's first visit to their village page on a phone: every byte it
transfers, by resource, scrolled to its foot, and its first contentful paint, on
slow 3G (400 ms round trip, 50 KB/s down) with a cold cache, at 360 px.

Against the app as a server runs it (gunicorn over HTTPS, whitenoise's compressed
static files, DEBUG off), on the demo's data:

    python manage.py demo --no-serve && DEBUG=0 SECRET_KEY=local python manage.py collectstatic
    openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -subj /CN=127.0.0.1
    SECRET_KEY=local ALLOWED_HOSTS=127.0.0.1 gunicorn kampungkb.wsgi -b 127.0.0.1:8020 \\
        --certfile cert.pem --keyfile key.pem &
    python scripts/phone_first_visit.py https://127.0.0.1:8020 lurah.sungaibangkong

Signing in happens first, on a fast connection; the page's visit is the measured one.
The browser is the one the browser tests use (tests/browser/chromium.py).
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.chromium import find_chromium  # noqa: E402

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 50 * 1024,
           "uploadThroughput": 50 * 1024}  # fmt: skip
PHONE = {"width": 360, "height": 780}


def sign_in(context, base_url, username, password):
    page = context.new_page()
    page.goto(f"{base_url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("load")
    landing = page.url
    page.close()
    return landing


#: True once every chart of the page has Chart.js to draw it (app.js fetches it late).
CHARTS_DRAWN = "() => !document.querySelector('canvas[data-chart]') || typeof Chart !== 'undefined'"


def scroll_to_the_foot(page):
    """Down the page a screen at a time, as a thumb does."""
    while page.evaluate("window.scrollY + innerHeight < document.body.scrollHeight"):
        page.mouse.wheel(0, PHONE["height"] // 2)
        page.wait_for_timeout(100)


def first_visit(context, url):
    """[(url, kind, bytes on the wire)] and the first contentful paint in ms."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    responses, transferred = {}, {}
    cdp.on("Network.responseReceived", lambda e: responses.update({e["requestId"]: e}))
    cdp.on(
        "Network.loadingFinished",
        lambda e: transferred.update({e["requestId"]: e["encodedDataLength"]}),
    )
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    paint = page.evaluate(
        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"
    )
    scroll_to_the_foot(page)  # what loads on the way counts too
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
    rows = [
        (responses[key]["response"]["url"], responses[key]["type"], size)
        for key, size in transferred.items()
        if key in responses
    ]
    return rows, paint


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("username")
    parser.add_argument("--password", default="kampungkb-demo")
    parser.add_argument("--path", help="The page to visit; the one signing in lands on.")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
        context = browser.new_context(
            viewport=PHONE, is_mobile=True, has_touch=True, ignore_https_errors=True
        )
        landing = sign_in(context, args.base_url, args.username, args.password)
        url = f"{args.base_url}{args.path}" if args.path else landing
        rows, paint = first_visit(context, url)
        browser.close()
    print(f"{url} at 360 px, slow 3G, cold cache")
    for address, kind, size in sorted(rows, key=lambda row: -row[2]):
        print(f"{size / 1024:8.1f} KB  {kind:<10} {address.removeprefix(args.base_url)}")
    total = sum(size for _, _, size in rows)
    print(f"{total / 1024:8.1f} KB  in {len(rows)} responses")
    print(f"first contentful paint: {paint / 1000:.2f} s" if paint else "no contentful paint")


if __name__ == "__main__":
    main()
