"""A participant's card scanned by a real camera stream, in a browser without
BarcodeDetector (as Safari on iPhone and Firefox are): jsQR reads the frames.

Chromium's fake camera plays a .y4m video that the test makes from the card's QR
code; BarcodeDetector is removed from `window` before the page runs.
"""

import re

import pytest
import zxingcpp
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_event, make_person
from training import services
from training.models import Attendance

from .conftest import Browser

pytestmark = pytest.mark.django_db(transaction=True)
SIZE = 480  # pixels of the square video
#: The receipt of the check-in from the server, once it has it.
CHECKED_IN = re.compile(r"Kartini Rahayu, .*: (Hadir|Terlambat)")


def card_video(path, text, frames=30):
    """A still of the QR code of `text`, centred on white, as a YUV 4:2:0 video."""
    code = memoryview(
        zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=8)
    )
    height, width = code.shape  # one byte of grey per pixel
    frame = bytearray(b"\xff" * SIZE * SIZE)
    top, left = (SIZE - height) // 2, (SIZE - width) // 2
    for row, pixels in enumerate(
        code.tobytes()[n : n + width] for n in range(0, height * width, width)
    ):
        start = (top + row) * SIZE + left
        frame[start : start + width] = pixels
    colour = bytes([128]) * (SIZE // 2) ** 2  # no colour: the chroma planes at neutral
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{SIZE} H{SIZE} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + bytes(frame) + colour + colour)
    return path


@pytest.fixture
def event_today(dinas_user):
    event = make_event(days=(timezone.localdate(),))
    registration = services.registration_create(
        event=event, person=make_person(name="Kartini Rahayu"), category="camat"
    )
    return event, registration


def signed_in_page(context, base_url):
    page = context.new_page()
    browse = Browser(page, base_url)
    browse.sign_in("dinas.pontianak")
    return page


def test_a_card_is_scanned_without_barcode_detector(
    playwright, chromium_path, live_server, event_today, tmp_path
):
    event, registration = event_today
    video = card_video(tmp_path / "card.y4m", registration.checkin_code)
    browser = playwright.chromium.launch(
        executable_path=chromium_path,
        args=[
            "--no-sandbox",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = browser.new_context(permissions=["camera"])
        context.add_init_script("delete window.BarcodeDetector;")
        page = signed_in_page(context, live_server.url)
        page.goto(f"{live_server.url}/pelatihan/{event.pk}/check-in/")
        assert page.evaluate("'BarcodeDetector' in window") is False
        page.get_by_role("button", name="Pindai dengan kamera").click()
        expect(page.get_by_text(CHECKED_IN)).to_be_visible(timeout=15_000)
    finally:
        browser.close()
    assert Attendance.objects.get(registration=registration).status in ("hadir", "terlambat")


def test_a_refused_camera_says_so_and_leaves_the_typed_code(
    playwright, chromium_path, live_server, event_today
):
    event, registration = event_today
    browser = playwright.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
    try:
        context = browser.new_context()  # no camera permission: the request is refused
        page = signed_in_page(context, live_server.url)
        page.goto(f"{live_server.url}/pelatihan/{event.pk}/check-in/")
        page.get_by_role("button", name="Pindai dengan kamera").click()
        expect(page.get_by_text("Kamera tidak dapat dipakai")).to_be_visible()
        page.get_by_label("Kode pada kartu peserta").fill(registration.checkin_code)
        page.get_by_role("button", name="Catat hadir").click()
        expect(page.get_by_text(CHECKED_IN)).to_be_visible()  # the server's receipt
    finally:
        browser.close()
    assert Attendance.objects.filter(registration=registration).exists()
