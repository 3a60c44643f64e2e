"""Activities (intervensi): the records a village's cross-sector indicator counts, their
photos, and the records a coaching visit or a training writes for a village."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from coaching.models import CoachingVisit
from coaching.services import link_visit_activity
from training.models import Registration
from training.services import link_event_activity
from villages import photos
from villages.models import Activity, ActivityAgency, ActivityPhoto, Agency, KampungKB, Level
from villages.views import activity_editor

from .factories import (
    ALL_INPUT,
    make_activity,
    make_event,
    make_person,
    make_photo,
    make_snapshot,
    make_village,
    photo_bytes,
)
from .forms import admin_change, admin_delete, admin_url, page_form_data, submit
from .test_levels import assert_level, village_assess

pytestmark = pytest.mark.django_db

#: Process scores 4 (four data sources) + 3 (three operations) + the cross-sector
#: score: 1 with no agency (index 2.67), 2 with one to three (3.00, passes). With
#: ALL_INPUT the village is Dasar without an agency and Berkembang with one.
ONE_AGENCY_SHORT = dict(
    ALL_INPUT,
    data_used=["pk", "rutin", "potensi_desa", "sektoral"],
    operational_activities=["perencanaan", "koordinasi", "sosialisasi"],
)
TWO_AGENCIES = ["DINKES", "DISDIK"]


@pytest.fixture
def signed_in(client, dinas):
    client.force_login(dinas)
    return client


@pytest.fixture
def village():
    village = make_village()
    make_snapshot(village, **ONE_AGENCY_SHORT)
    return village


def agency(abbreviation):
    return Agency.objects.get(abbreviation=abbreviation)


def new_activity_data(client, village, **changes):
    """The new-activity page's form, filled in right, with `changes`."""
    url = reverse("villages:activity_create", args=[village.pk])
    return url, {
        **page_form_data(client.get(url)),
        "title": "Posyandu remaja",
        "date": "2024-01-20",
        "place": "Balai RW 03",
        "family_function": "reproduksi",
        **changes,
    }


def activity_form(client, village, **changes):
    return client.post(*new_activity_data(client, village, **changes))


# -- the cross-sector indicator follows every write of activities and their agencies --


def test_an_activity_recorded_and_changed_in_the_app(signed_in, village):
    assert_level(signed_in, village, Level.DASAR)
    response = activity_form(signed_in, village, agencies=[agency("DINKES").pk])
    assert response.status_code == 302
    assert_level(signed_in, village, Level.BERKEMBANG)

    activity = Activity.objects.get()
    submit(signed_in, reverse("villages:activity_edit", args=[activity.pk]), agencies=[])
    assert_level(signed_in, village, Level.DASAR)

    activity.agencies.add(agency("DINKES"))
    signed_in.post(reverse("villages:activity_delete", args=[activity.pk]))
    assert not Activity.objects.exists()
    assert_level(signed_in, village, Level.DASAR)


def test_an_activity_written_in_the_admin(signed_in, admin_client, village):
    add_url = reverse("admin:villages_activity_add")
    data = {
        **page_form_data(admin_client.get(add_url)),
        "kampung": village.pk,
        "title": "Kelas BKB",
        "date": "2024-01-10",
        "place": "Posyandu",
        "family_function": "pendidikan",
        "activityagency_set-TOTAL_FORMS": "1",
        "activityagency_set-0-agency": agency("DINKES").pk,
    }
    assert admin_client.post(add_url, data).status_code == 302
    assert_level(signed_in, village, Level.BERKEMBANG)

    activity = Activity.objects.get()
    link = ActivityAgency.objects.get()
    admin_change(admin_client, activity, **{"activityagency_set-0-DELETE": "on"})
    assert not ActivityAgency.objects.filter(pk=link.pk).exists()
    assert_level(signed_in, village, Level.DASAR)

    activity.agencies.add(agency("DINKES"))
    admin_delete(admin_client, activity)
    assert_level(signed_in, village, Level.DASAR)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda a, dinkes: a.agencies.add(dinkes), id="add"),
        pytest.param(lambda a, dinkes: a.agencies.set([dinkes]), id="set"),
        pytest.param(lambda a, dinkes: dinkes.activities.add(a), id="add-from-agency"),
        pytest.param(lambda a, dinkes: dinkes.activities.set([a]), id="set-from-agency"),
        pytest.param(
            lambda a, dinkes: ActivityAgency.objects.create(activity=a, agency=dinkes),
            id="through-create",
        ),
        pytest.param(
            lambda a, dinkes: ActivityAgency.objects.bulk_create(
                [ActivityAgency(activity=a, agency=dinkes)]
            ),
            id="through-bulk-create",
        ),
    ],
)
def test_every_way_to_join_an_agency(signed_in, village, write):
    activity = make_activity(village)
    assert_level(signed_in, village, Level.DASAR)
    write(activity, agency("DINKES"))
    assert_level(signed_in, village, Level.BERKEMBANG)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda a, dinkes: a.agencies.remove(dinkes), id="remove"),
        pytest.param(lambda a, dinkes: a.agencies.clear(), id="clear"),
        pytest.param(lambda a, dinkes: dinkes.activities.remove(a), id="remove-from-agency"),
        pytest.param(lambda a, dinkes: dinkes.activities.clear(), id="clear-from-agency"),
        pytest.param(lambda a, dinkes: ActivityAgency.objects.get().delete(), id="through-delete"),
        pytest.param(
            lambda a, dinkes: ActivityAgency.objects.all().delete(), id="through-queryset-delete"
        ),
        pytest.param(
            lambda a, dinkes: ActivityAgency.objects.update(activity=make_activity(make_village())),
            id="through-update-elsewhere",
        ),
        pytest.param(lambda a, dinkes: a.delete(), id="activity-delete"),
        pytest.param(lambda a, dinkes: Activity.objects.all().delete(), id="activity-qs-delete"),
        pytest.param(
            lambda a, dinkes: Activity.objects.update(kampung=make_village("61.71.05.1002")),
            id="activity-update-elsewhere",
        ),
        pytest.param(
            lambda a, dinkes: _moved(a, make_village("61.71.05.1002")), id="activity-save-elsewhere"
        ),
    ],
)
def test_every_way_to_leave_an_agency(signed_in, village, write):
    activity = make_activity(village, agencies=["DINKES"])
    assert_level(signed_in, village, Level.BERKEMBANG)
    write(activity, agency("DINKES"))
    assert_level(signed_in, village, Level.DASAR)


def _moved(activity, other_village):
    activity.kampung = other_village
    activity.save()


def test_activities_written_in_bulk_and_moved_in(signed_in, village):
    other = make_village("61.71.05.1002")
    elsewhere = make_activity(other, agencies=["DINKES"])
    Activity.objects.filter(pk=elsewhere.pk).update(kampung=village)
    assert_level(signed_in, village, Level.BERKEMBANG)
    Activity.objects.all().delete()
    [created] = Activity.objects.bulk_create(
        [Activity(kampung=village, title="Senam lansia", date=datetime.date(2024, 1, 3))]
    )
    ActivityAgency.objects.bulk_create([ActivityAgency(activity=created, agency=agency("DINSOS"))])
    assert_level(signed_in, village, Level.BERKEMBANG)


def test_an_agency_counts_once_however_many_activities_it_joins(village):
    """Four distinct agencies reach cross-sector score 3; the same one four times is one."""
    for _ in range(4):
        make_activity(village, agencies=["DINKES"])
    assert _cross_sector(village).score == 2
    make_activity(village, agencies=["DISDIK", "DINSOS", "DISPERKIM"])
    assert _cross_sector(village).shown == "4"
    assert _cross_sector(village).score == 3


def _cross_sector(village):
    [indicator] = [
        i for i in village_assess(village).classification.indicators if i.key == "cross_sector"
    ]
    return indicator


def test_an_agency_on_the_record_of_an_activity_cannot_be_deleted(village):
    make_activity(village, agencies=["DINKES"])
    with pytest.raises(ProtectedError):
        agency("DINKES").delete()
    assert KampungKB.objects.get(pk=village.pk).computed_level == Level.BERKEMBANG


def test_the_levels_by_month_count_the_agencies_held_by_each_month(signed_in, village):
    """January's level counts an activity of January; one of February only from February."""
    february = datetime.date(2024, 2, 1)
    make_snapshot(village, february, **ONE_AGENCY_SHORT)
    make_activity(village, agencies=["DINKES"], date=datetime.date(2024, 2, 29))
    response = signed_in.get(
        reverse("villages:levels"),
        {"kecamatan": village.kelurahan.district.code, "mulai": "2024-01"},
    )
    rows = {month: counts for month, counts, _missing in response.context["rows"]}
    levels = list(Level)
    assert rows[datetime.date(2024, 1, 1)][levels.index(Level.DASAR)] == 1
    assert rows[february][levels.index(Level.BERKEMBANG)] == 1


# -- the activity form ----------------------------------------------------------------


def test_wrong_input_is_said_beside_each_field_and_nothing_is_saved(signed_in, village):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = activity_form(
        signed_in,
        village,
        title="",
        date=tomorrow.isoformat(),
        family_function="sihir",
        target_groups=["remaja", "naga"],
        agencies=["999999999999"],
        place='<b onmouseover="x">Aula</b>',
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["Bidang ini tidak boleh kosong."]
    assert "sudah berlangsung" in errors["date"][0]
    assert set(errors) == {"title", "date", "family_function", "target_groups", "agencies"}
    html = response.content.decode()
    assert 'value="&lt;b onmouseover=&quot;x&quot;&gt;Aula&lt;/b&gt;"' in html  # kept, escaped
    assert not Activity.objects.exists()


def test_the_form_keeps_every_field(signed_in, village):
    response = activity_form(
        signed_in,
        village,
        title='=HYPERLINK("http://x")' + "j" * 170,
        description="Baris satu\nBaris <dua>",
        target_groups=["remaja", "pus"],
        agencies=[agency("DISDIK").pk, agency("DINKES").pk],
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.title.startswith("=HYPERLINK")
    assert activity.target_groups == ["remaja", "pus"]
    assert set(activity.agencies.values_list("abbreviation", flat=True)) == set(TWO_AGENCIES)
    page = signed_in.get(activity.get_absolute_url()).content.decode()
    assert "Baris <dua>" not in page and "Baris &lt;dua&gt;" in page
    edit = signed_in.get(reverse("villages:activity_edit", args=[activity.pk])).content.decode()
    assert f'<a href="{activity.get_absolute_url()}"><svg class="bi"' in edit
    assert "Remaja, Pasangan usia subur (PUS)" in page


# -- photos ---------------------------------------------------------------------------


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo_post(client, activity, *files, **changes):
    url = reverse("villages:activity_edit", args=[activity.pk])
    data = page_form_data(client.get(url))
    first_empty = int(data["foto-INITIAL_FORMS"])
    for index, file in enumerate(files, start=first_empty):
        data[f"foto-{index}-image"] = file
        data[f"foto-{index}-kind"] = "sesudah"
    return client.post(url, {**data, **changes})


def photo_errors(response):
    return [e for form in response.context["photos"] for e in form.errors.get("image", [])]


def test_a_photo_is_kept_upright_without_its_metadata(signed_in, village, media_root):
    activity = make_activity(village)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° to stand upright
    exif[0x010F] = "Kamera dengan GPS"
    content = photo_bytes(size=(80, 40), exif=exif.tobytes())
    response = photo_post(signed_in, activity, upload("IMG_0001.JPG", content))
    assert response.status_code == 302
    photo = ActivityPhoto.objects.get()
    assert photo.slot == 1 and photo.kind == "sesudah"
    assert photo.image.name.startswith("kegiatan/") and "IMG_0001" not in photo.image.name
    with Image.open(media_root / photo.image.name) as stored:
        assert stored.size == (40, 80)
        assert not stored.getexif()

    served = signed_in.get(photo.get_absolute_url())
    assert served["Content-Type"] == "image/jpeg"
    assert set(served["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("foto.jpg", b"%PDF-1.4 bukan foto"), "bukan foto"),
        (upload("foto.jpg", b""), "kosong"),
        (upload("foto.jpg", photo_bytes("PNG")), "isinya foto PNG"),
        (upload("foto.png", photo_bytes("JPEG")), "isinya foto JPEG"),
        (upload("foto", photo_bytes("JPEG")), "berakhiran .?"),
        (upload("foto.gif", photo_bytes("GIF"), "image/gif"), "bukan foto"),
        (upload("foto.jpg", photo_bytes()[:200]), "bukan foto"),  # cut off
        (upload("besar.jpg", b"\xff" * (photos.MAX_BYTES + 1)), "terlalu besar"),
        (upload("lebar.png", photo_bytes("PNG", size=(8000, 6000))), "paling banyak 24 juta"),
    ],
    ids=["not-an-image", "empty", "png-as-jpg", "jpg-as-png", "no-extension", "gif",
         "truncated", "oversized", "too-many-pixels"],
)  # fmt: skip
def test_what_is_not_a_photo_is_refused_with_a_message(signed_in, village, file, message):
    activity = make_activity(village, title="Kelas BKR")
    response = photo_post(signed_in, activity, file, title="Kelas BKR diubah")
    assert response.status_code == 200
    [error] = photo_errors(response)
    assert message in error
    assert "dipilih lagi" in response.content.decode()
    assert not ActivityPhoto.objects.exists()
    assert Activity.objects.get().title == "Kelas BKR"  # nothing saved, not even the text


def test_at_most_five_photos(signed_in, village):
    activity = make_activity(village)
    for _ in range(4):
        make_photo(activity)
    files = [upload(f"f{n}.jpg", photo_bytes()) for n in range(2)]
    response = photo_post(signed_in, activity, *files)
    # the page offers one more place only: the second file has no form to land in
    assert response.status_code == 302
    assert activity.photos.count() == 5
    assert sorted(activity.photos.values_list("slot", flat=True)) == [1, 2, 3, 4, 5]
    with pytest.raises(Exception, match="paling banyak 5 foto"):
        make_photo(activity)
    page = signed_in.get(reverse("villages:activity_edit", args=[activity.pk]))
    assert len(page.context["photos"].forms) == 5  # the five kept, no empty place


def test_a_deleted_photo_frees_its_place_and_its_file(
    signed_in, village, media_root, django_capture_on_commit_callbacks
):
    activity = make_activity(village)
    first, second = make_photo(activity), make_photo(activity)
    path = media_root / first.image.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = photo_post(signed_in, activity, **{"foto-0-DELETE": "on"})
    assert response.status_code == 302
    assert not path.exists()
    assert list(activity.photos.values_list("slot", flat=True)) == [second.slot]
    third = make_photo(activity)
    assert third.slot == first.slot
    with django_capture_on_commit_callbacks(execute=True):
        activity.delete()
    assert not any((media_root / "kegiatan").iterdir())


def test_the_admin_takes_photos_through_the_same_check(admin_client, village):
    activity = make_activity(village)
    url = admin_url(activity)
    data = {
        **page_form_data(admin_client.get(url)),
        "photos-TOTAL_FORMS": "1",
        "photos-0-kind": "sebelum",
        "photos-0-image": upload("foto.jpg", photo_bytes("PNG")),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "isinya foto PNG" in response.content.decode()
    data["photos-0-image"] = upload("foto.png", photo_bytes("PNG"))
    assert admin_client.post(url, data).status_code == 302
    assert ActivityPhoto.objects.get().image.name.endswith(".png")


def test_a_photo_is_served_only_within_its_village(
    client, lurah_sungaibangkong, lurah_karangketug, village
):
    photo = make_photo(make_activity(village))
    client.force_login(lurah_karangketug)
    assert client.get(photo.get_absolute_url()).status_code == 404
    assert client.get(photo.activity.get_absolute_url()).status_code == 404
    client.force_login(lurah_sungaibangkong)
    assert client.get(photo.get_absolute_url()).status_code == 200
    page = client.get(photo.activity.get_absolute_url()).content.decode()
    assert photo.get_absolute_url() in page
    assert reverse("villages:activity_edit", args=[photo.activity.pk]) not in page


def test_a_photo_whose_file_is_gone_answers_404(signed_in, village, media_root):
    photo = make_photo(make_activity(village))
    (media_root / photo.image.name).unlink()
    assert signed_in.get(photo.get_absolute_url()).status_code == 404


# -- recorded from a visit or a training -------------------------------------------


def test_a_visit_becomes_the_village_activity_without_typing_again(signed_in, village):
    visit = CoachingVisit.objects.create(
        kampung=village, date=datetime.date(2024, 1, 12), topics="Materi BKB", findings="PUS naik"
    )
    visit.agencies_present.set([agency("DINKES"), agency("DISDIK")])
    url = reverse("coaching:visit_activity", args=[visit.pk])
    form = signed_in.get(url).context["form"]
    assert form["title"].value() == f"Pembinaan {village.name}"
    assert form["date"].value() == visit.date
    assert form["description"].value() == "Materi BKB\n\nPUS naik"
    assert set(form["agencies"].value()) == {agency(a).pk for a in TWO_AGENCIES}

    submit(signed_in, url, family_function="pendidikan")
    visit.refresh_from_db()
    activity = Activity.objects.get()
    assert visit.activity == activity and activity.kampung == village
    assert activity.agencies.count() == 2
    assert_level(signed_in, village, Level.BERKEMBANG)

    again = signed_in.get(url)
    assert again.status_code == 302 and again.url == activity.get_absolute_url()
    page = signed_in.get(visit.get_absolute_url()).content.decode()
    assert activity.get_absolute_url() in page


def test_a_link_refused_at_saving_keeps_nothing(signed_in, village, media_root):
    """A record refused by what it is recorded from (two saves of one visit at once)
    rolls back whole: no activity, no photo row, no photo file, the input kept."""
    url, data = new_activity_data(
        signed_in, village, title="Kelas BKB", **{"foto-0-image": upload("foto.jpg", photo_bytes())}
    )
    request = RequestFactory().post(url, data)
    request.user, request.session = User.objects.get(username="dinas.pontianak"), {}
    request._messages = FallbackStorage(request)

    def refused(activity):
        assert ActivityPhoto.objects.filter(activity=activity).exists()  # stored, then …
        raise ValidationError("Kunjungan ini sudah dicatat sebagai kegiatan.")

    response = activity_editor(request, village, back="/", recorded_from=refused)
    assert response.status_code == 200
    assert "Kunjungan ini sudah dicatat sebagai kegiatan." in response.content.decode()
    assert 'value="Kelas BKB"' in response.content.decode()
    assert not Activity.objects.exists() and not ActivityPhoto.objects.exists()
    assert not any((media_root / "kegiatan").iterdir())


def test_a_visit_recorded_from_two_pages_keeps_one_activity(signed_in, village):
    visit = CoachingVisit.objects.create(kampung=village, date=datetime.date(2024, 1, 12))
    url = reverse("coaching:visit_activity", args=[visit.pk])
    first, second = ({**page_form_data(signed_in.get(url)), "family_function": "agama"},) * 2
    assert signed_in.post(url, first).status_code == 302
    late = signed_in.post(url, second)
    assert late.url == Activity.objects.get().get_absolute_url()
    # two saves that both passed the view's check: the second is refused whole
    with pytest.raises(ValidationError, match="sudah dicatat"), transaction.atomic():
        link_visit_activity(visit, make_activity(village))
    assert Activity.objects.count() == 1


def test_a_training_becomes_the_activity_of_each_village_it_concerns(signed_in, village):
    other = make_village("61.71.05.1002")
    event = make_event(districts=["61.71.05"], venue="Hotel <Kapuas> & Co")
    for kampung in (village, other, village):
        Registration.objects.create(
            event=event, person=make_person(), category="pengelola", kampung=kampung
        )
    page = signed_in.get(reverse("training:event_activities", args=[event.pk]))
    assert list(page.context["villages"]) == sorted([village, other], key=lambda v: v.name)
    url = reverse("training:event_activity", args=[event.pk, village.pk])
    form = signed_in.get(url).context["form"]
    assert form["place"].value() == "Hotel <Kapuas> & Co"
    assert form["date"].value() == event.days.get().date
    submit(signed_in, url, family_function="pendidikan")
    activity = event.activities.get()
    assert activity.kampung == village and activity.title == event.title
    assert list(activity.agencies.all()) == [event.organiser]
    assert signed_in.get(url).url == activity.get_absolute_url()
    listed = signed_in.get(reverse("training:event_activities", args=[event.pk])).content.decode()
    assert activity.get_absolute_url() in listed and "Hotel &lt;Kapuas&gt;" not in listed

    stranger = make_village("61.71.05.1003")
    outside = reverse("training:event_activity", args=[event.pk, stranger.pk])
    assert signed_in.get(outside).status_code == 404


def test_a_photo_place_used_without_a_file_says_so(signed_in, village):
    activity = make_activity(village)
    url = reverse("villages:activity_edit", args=[activity.pk])
    data = {**page_form_data(signed_in.get(url)), "foto-0-caption": "Foto kelas"}
    response = signed_in.post(url, data)
    assert response.status_code == 200
    assert photo_errors(response) == ["Pilih fotonya, atau biarkan tempat foto ini kosong."]
    assert 'value="Foto kelas"' in response.content.decode()  # kept
    assert "foto-0-DELETE" not in response.content.decode()  # nothing to delete in an empty place


def test_a_training_links_one_activity_per_village(village):
    event = make_event()
    first, second = make_activity(village), make_activity(village)
    with transaction.atomic():
        link_event_activity(event, first)
    link_event_activity(event, first)  # the same one again changes nothing
    refused = pytest.raises(ValidationError, match="sudah dicatat sebagai kegiatan kampung ini")
    with refused, transaction.atomic():
        link_event_activity(event, second)
    assert list(event.activities.all()) == [first]
