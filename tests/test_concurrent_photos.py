"""Officers adding photos to one activity at the same moment: five places, each taken
once; who comes too late is told so, and leaves no file behind."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from villages.models import ActivityPhoto

from .factories import make_activity, make_photo, make_village, photo_bytes
from .forms import page_form_data
from .test_concurrent_attendance import at_once, signed_in

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite takes one writer at a time by design"
)
OFFICERS = 6


def test_six_uploads_at_once_fill_the_two_free_places(reference_data, dinas, media_root):
    activity = make_activity(make_village())
    for _ in range(3):
        make_photo(activity)
    url = reverse("villages:activity_edit", args=[activity.pk])
    clients = [signed_in(dinas) for _ in range(OFFICERS)]
    pages = [page_form_data(client.get(url)) for client in clients]  # all opened first
    answers = []

    def upload(n):
        image = SimpleUploadedFile(f"foto-{n}.jpg", photo_bytes(), content_type="image/jpeg")
        response = clients[n].post(url, {**pages[n], "foto-3-image": image})
        answers.append((response.status_code, response.content.decode()))

    at_once(upload, OFFICERS)

    assert sorted(status for status, _page in answers) == [200] * 4 + [302] * 2
    refused = [page for status, page in answers if status == 200]
    assert all("paling banyak 5 foto" in page for page in refused)
    assert sorted(activity.photos.values_list("slot", flat=True)) == [1, 2, 3, 4, 5]
    stored = {photo.image.name for photo in ActivityPhoto.objects.all()}
    on_disk = {f"kegiatan/{path.name}" for path in (media_root / "kegiatan").iterdir()}
    assert on_disk == stored  # the refused uploads' files were removed


def test_photos_saved_at_once_outside_the_form_take_one_place_each(reference_data):
    """The admin, an import or the shell: each save locks its activity for the place."""
    activity = make_activity(make_village())
    for _ in range(3):
        make_photo(activity)
    outcomes = []

    def save(n):
        try:
            make_photo(activity, caption=f"foto {n}")
        except ValidationError as refused:
            outcomes.append(refused.messages[0])
        else:
            outcomes.append("disimpan")

    at_once(save, OFFICERS)

    assert outcomes.count("disimpan") == 2
    assert outcomes.count("Satu kegiatan paling banyak 5 foto: hapus satu foto dulu.") == 4
    assert sorted(activity.photos.values_list("slot", flat=True)) == [1, 2, 3, 4, 5]
