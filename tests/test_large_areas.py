"""What keeps the pages quick and true for a provincial or national user: keyset
pages, the kota → kecamatan filter, and pages drawn live that follow every change of
what they show."""

import datetime
import re
import uuid

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from coaching import services as coaching
from coaching.models import CoachingVisit, Need
from training import offline
from training import services as training
from training.models import Attendance
from villages.models import (
    Agency,
    City,
    District,
    KampungKB,
    Kelurahan,
    Level,
    Manager,
    Pokja,
    PokjaMember,
)

from .conftest import SIGNED_IN, make_user
from .factories import ALL_INPUT, ALL_PROCESS, make_event, make_person, make_snapshot, make_village
from .test_coaching import pontianak_kota

pytestmark = pytest.mark.django_db


def names_on(response):
    return [village.name for village in response.context["page"]]


def follow(client, response, rel):
    """Click "Berikutnya" (next), "Sebelumnya" (previous), "Pertama" or "Terakhir"."""
    query = getattr(response.context["page_links"], rel)
    assert query is not None, f"no {rel} link"
    return client.get(reverse("villages:list") + "?" + query)


# -- keyset pages ----------------------------------------------------------------------


@pytest.fixture
def many_villages(db):
    """120 villages whose names tie in pairs, so that the id must break the tie."""
    return [make_village(name=f"Kampung KB {n // 2:03d}") for n in range(120)]


def test_next_and_previous_walk_the_list_in_name_order(client, dinas, many_villages):
    client.force_login(dinas)
    expected = [v.name for v in sorted(many_villages, key=lambda v: (v.name, v.pk))]

    first = client.get(reverse("villages:list"))
    second = follow(client, first, "next")
    third = follow(client, second, "next")

    assert names_on(first) + names_on(second) + names_on(third) == expected
    assert (third.context["page_links"].number, third.context["page_links"].num_pages) == (3, 3)
    assert third.context["page_links"].next is None
    assert names_on(follow(client, third, "previous")) == names_on(second)
    assert names_on(follow(client, second, "previous")) == names_on(first)
    assert "Halaman 2 dari 3" in second.content.decode()


def test_the_last_page_is_one_click_away_and_the_first_one_back(client, dinas, many_villages):
    client.force_login(dinas)
    expected = [v.name for v in sorted(many_villages, key=lambda v: (v.name, v.pk))]
    first = client.get(reverse("villages:list"), {"status": "aktif"})
    assert first.context["page_links"].first is None
    last = follow(client, first, "last")
    assert names_on(last) == expected[-50:]  # the last rows, a full page of them
    links = last.context["page_links"]
    assert (links.number, links.num_pages, links.next, links.last) == (3, 3, None, None)
    assert "status=aktif" in links.first and "Terakhir" not in last.content.decode()
    assert names_on(follow(client, last, "first")) == expected[:50]
    assert names_on(follow(client, last, "previous")) == expected[-100:-50]
    assert "Pertama" in last.content.decode() and "Terakhir" in first.content.decode()


def test_a_numbered_list_links_its_first_and_last_pages(client, dinas):
    event = make_event()
    for _ in range(120):
        training.registration_create(event=event, person=make_person(), category="pengelola")
    client.force_login(dinas)
    url = reverse("training:participants", args=[event.pk])
    links = client.get(url).context["page_links"]
    assert (links.first, links.last) == (None, "page=3")
    links = client.get(url, {"page": 3}).context["page_links"]
    assert (links.first, links.last) == ("page=1", None)


def test_the_next_link_keeps_the_filters(client, dinas, many_villages):
    client.force_login(dinas)
    response = client.get(reverse("villages:list"), {"status": "aktif", "q": "Kampung"})
    assert "status=aktif" in response.context["page_links"].next
    assert "q=Kampung" in response.context["page_links"].next


def test_a_link_carries_its_rows_name_and_one_without_it_still_finds_the_page(
    client, dinas, many_villages
):
    """The next page's link names the row it starts after and that row's name, which
    spares the query a subquery; a link bookmarked before links carried the name
    reaches the same rows."""
    client.force_login(dinas)
    second = follow(client, client.get(reverse("villages:list")), "next")
    last_of_first = sorted(many_villages, key=lambda v: (v.name, v.pk))[49]
    link = QueryDict(second.context["page_links"].previous)
    assert QueryDict(second.request["QUERY_STRING"])["kunci"] == last_of_first.name
    assert link["kunci"] == names_on(second)[0]
    bookmarked = client.get(reverse("villages:list"), {"setelah": last_of_first.pk, "halaman": 2})
    assert names_on(bookmarked) == names_on(second)


@pytest.mark.parametrize("key", ["", "<b>'", "=1+1", "z" * 300])
def test_a_tampered_key_shows_a_page_not_an_error(client, dinas, many_villages, key):
    client.force_login(dinas)
    cursor = {"setelah": many_villages[0].pk, "kunci": key, "halaman": 2}
    response = client.get(reverse("villages:list"), cursor)
    assert response.status_code == 200
    expected = [v.name for v in many_villages if (v.name, v.pk) > (key, many_villages[0].pk)]
    assert names_on(response) == sorted(expected)[:50]


@pytest.mark.parametrize("cursor", ["abc", "", "-5", "99999999"])
def test_a_broken_cursor_shows_a_page_not_an_error(client, dinas, many_villages, cursor):
    client.force_login(dinas)
    response = client.get(reverse("villages:list"), {"setelah": cursor, "halaman": "x"})
    assert response.status_code == 200
    assert response.context["page_links"].number == 1


# -- the kota → kecamatan filter -------------------------------------------------------


def test_a_one_city_user_picks_a_kecamatan_straight_away(client, dinas):
    client.force_login(dinas)
    page = client.get(reverse("villages:list")).content.decode()
    assert 'id="kota"' not in page
    assert "Pontianak Kota" in page
    assert "Gadingrejo" not in page  # a kecamatan of Pasuruan


def test_a_user_of_several_cities_picks_a_kota_first(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("villages:list")).content.decode()
    kecamatan = re.search(r'<select[^>]*id="kecamatan"[^>]*>', page).group(0)
    assert "disabled" in kecamatan
    page = client.get(reverse("villages:list"), {"kota": "35.75"}).content.decode()
    assert "Gadingrejo" in page
    assert "Pontianak Kota" not in page


def test_a_kecamatan_of_another_kota_is_ignored(client, admin_user):
    village = make_village("61.71.05.1001")
    make_village("35.75.01.1001")
    client.force_login(admin_user)
    response = client.get(reverse("villages:list"), {"kota": "61.71", "kecamatan": "35.75.01"})
    assert names_on(response) == [village.name]


def test_the_matrix_shows_one_kota_at_a_time(client, admin_user):
    pontianak = make_village("61.71.05.1001")
    pasuruan = make_village("35.75.01.1001")
    client.force_login(admin_user)
    first = client.get(reverse("coaching:matrix")).content.decode()
    chosen = client.get(reverse("coaching:matrix"), {"kota": "35.75"}).content.decode()
    assert (pasuruan.name in first, pontianak.name in first) == (True, False)  # 35.75 < 61.71
    assert pasuruan.name in chosen and pontianak.name not in chosen


# -- figures of whole cities, counted live --------------------------------------------


def level_counts(client):
    return dict(client.get(reverse("villages:list")).context["level_counts"])


def test_the_dashboard_takes_the_same_queries_whatever_the_data(
    client, dinas, village_sungaibangkong, django_assert_num_queries
):
    client.force_login(dinas)
    # what every signed-in page reads, the villages at each level, and the programme
    # figures: upcoming events, visits due, missed last month, open needs, overdue
    # needs by agency
    with django_assert_num_queries(SIGNED_IN + 6):
        page = client.get(reverse("overview:dashboard")).content.decode()
    assert '<div class="display-6" data-testid="village-count">1</div>' in page


def test_counts_follow_a_new_village_and_a_changed_level(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    assert level_counts(client)[Level.DASAR] == 1
    make_village()
    assert level_counts(client)[Level.DASAR] == 2

    village_sungaibangkong.level_override = Level.BERKELANJUTAN
    village_sungaibangkong.override_reason = "Hasil verifikasi lapangan"
    village_sungaibangkong.save()
    counts = level_counts(client)
    assert (counts[Level.DASAR], counts[Level.BERKELANJUTAN]) == (1, 1)


def test_counts_follow_a_deleted_village(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    assert client.get(reverse("overview:dashboard")).context["village_count"] == 1
    village_sungaibangkong.delete()
    assert client.get(reverse("overview:dashboard")).context["village_count"] == 0


def test_counts_follow_a_snapshot_that_changes_the_level(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    assert level_counts(client)[Level.DASAR] == 1
    make_snapshot(village_sungaibangkong, **ALL_INPUT, **ALL_PROCESS)
    assert level_counts(client)[Level.BERKEMBANG] == 1


def test_dashboard_follows_plans_and_needs(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    figures = client.get(reverse("overview:dashboard")).context["figures"]
    assert (figures.visits_due, figures.open_needs) == (0, 0)

    today = datetime.date.today()
    coaching.plan_generate(districts=pontianak_kota(), first_month=today.replace(day=1), months=1)
    need = Need.objects.create(kampung=village_sungaibangkong, category="data", description="Data")
    figures = client.get(reverse("overview:dashboard")).context["figures"]
    assert (figures.visits_due, figures.open_needs) == (1, 1)

    need.status = Need.Status.MET
    need.save()
    assert client.get(reverse("overview:dashboard")).context["figures"].open_needs == 0


def test_the_dashboard_follows_a_renamed_agency(client, dinas, village_sungaibangkong):
    agency = Agency.objects.get(abbreviation="DINKES")
    Need.objects.create(
        kampung=village_sungaibangkong,
        category="data",
        description="Data",
        agency=agency,
        due_date=datetime.date(2020, 1, 1),
    )
    client.force_login(dinas)
    assert ">DINKES</a>" in client.get(reverse("overview:dashboard")).content.decode()
    agency.abbreviation = "DINKES-KOTA"
    agency.save()
    assert ">DINKES-KOTA</a>" in client.get(reverse("overview:dashboard")).content.decode()


def test_a_kecamatan_viewer_counts_live_within_the_kecamatan(client, camat):
    make_village("61.71.05.1001")
    make_village("61.71.01.1002")  # Pontianak Selatan: outside the camat's area
    client.force_login(camat)
    assert client.get(reverse("overview:dashboard")).context["village_count"] == 1


# -- labels ----------------------------------------------------------------------------


def test_choice_labels_follow_the_language(village_sungaibangkong):
    assert village_sungaibangkong.get_status_display() == "Aktif"
    with translation.override("en"):
        assert village_sungaibangkong.get_status_display() == "Active"


def test_a_set_level_shows_its_pin_and_says_so(client, dinas, village_sungaibangkong):
    village_sungaibangkong.level_override = Level.MANDIRI
    village_sungaibangkong.override_reason = "Hasil verifikasi lapangan"
    village_sungaibangkong.save()
    client.force_login(dinas)
    page = client.get(reverse("villages:list")).content.decode()
    assert 'title="Hasil verifikasi lapangan"' in page
    assert '<span class="visually-hidden">(ditetapkan)</span>' in page


def test_the_people_list_counts_a_new_person(client, dinas):
    client.force_login(dinas)
    before = client.get(reverse("villages:person_list")).context["count"]
    make_person()
    make_person(city_code="35.75")  # another city's register
    assert client.get(reverse("villages:person_list")).context["count"] == before + 1


# -- pages drawn live follow every change --------------------------------------------------------


def list_html(client, **params):
    return client.get(reverse("villages:list"), params).content.decode()


def test_the_list_follows_renamed_villages_and_places(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    assert village_sungaibangkong.name in list_html(client)
    village_sungaibangkong.name = "Kampung KB Melati"
    village_sungaibangkong.save()
    assert "Kampung KB Melati" in list_html(client)
    kelurahan = village_sungaibangkong.kelurahan
    kelurahan.name = "Sungai Bangkong Baru"
    kelurahan.save()
    assert "Sungai Bangkong Baru" in list_html(client)
    district = kelurahan.district
    district.name = "Pontianak Kota Baru"
    district.save()
    assert "Pontianak Kota Baru" in list_html(client)


def test_pages_show_every_character(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    list_html(client)
    village_sungaibangkong.name = "Kampung KB Mawar—Ünggul"
    village_sungaibangkong.save()
    assert "Kampung KB Mawar—Ünggul" in list_html(client)


def test_the_list_is_not_shown_to_a_user_of_another_city(
    client, dinas, dinas_pasuruan, village_sungaibangkong, village_karangketug
):
    client.force_login(dinas)
    assert village_sungaibangkong.name in list_html(client, status="aktif")
    client.force_login(dinas_pasuruan)
    page = list_html(client, status="aktif")
    assert village_karangketug.name in page and village_sungaibangkong.name not in page


# -- the city kept on the village row ---------------------------------------------------


def test_a_village_moved_to_another_city_leaves_its_list(
    client, dinas, dinas_pasuruan, village_sungaibangkong
):
    client.force_login(dinas)
    assert village_sungaibangkong.name in list_html(client)
    village_sungaibangkong.kelurahan = Kelurahan.objects.get(code="35.75.01.1001")
    village_sungaibangkong.save()
    assert village_sungaibangkong.city.code == "35.75"
    assert village_sungaibangkong.name not in list_html(client)
    client.force_login(dinas_pasuruan)
    assert village_sungaibangkong.name in list_html(client)


def test_a_village_saved_field_by_field_follows_its_kelurahan(db, village_sungaibangkong):
    village_sungaibangkong.kelurahan = Kelurahan.objects.get(code="35.75.01.1001")
    village_sungaibangkong.save(update_fields=["kelurahan"])
    assert KampungKB.objects.get(pk=village_sungaibangkong.pk).city.code == "35.75"


def test_a_kelurahan_moved_to_another_city_takes_its_villages_along(
    client, dinas, dinas_pasuruan, village_sungaibangkong
):
    page = village_sungaibangkong.get_absolute_url()
    client.force_login(dinas)
    assert village_sungaibangkong.name in list_html(client)
    kelurahan = village_sungaibangkong.kelurahan
    kelurahan.district = District.objects.get(code="35.75.01")
    kelurahan.save()
    assert village_sungaibangkong.name not in list_html(client)
    assert client.get(page).status_code == 404
    client.force_login(dinas_pasuruan)
    assert village_sungaibangkong.name in list_html(client)
    assert client.get(page).status_code == 200


def test_a_kecamatan_moved_to_another_city_takes_its_villages_along(
    client, dinas, dinas_pasuruan, village_sungaibangkong
):
    client.force_login(dinas)
    assert village_sungaibangkong.name in list_html(client)
    district = village_sungaibangkong.kelurahan.district
    district.city = City.objects.get(code="35.75")
    district.save()
    assert village_sungaibangkong.name not in list_html(client)
    client.force_login(dinas_pasuruan)
    assert village_sungaibangkong.name in list_html(client)


def test_the_list_speaks_the_readers_language(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    assert "Tidak ada Kampung KB yang cocok." in list_html(client, q="zzz")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "No matching Kampung KB." in list_html(client, q="zzz")


def test_the_list_holds_nothing_of_the_user_who_asked_first(client, dinas, village_sungaibangkong):
    colleague = make_user("dinas.rekan", "dinas", cities=["61.71"])
    client.force_login(dinas)
    assert dinas.username in list_html(client)
    client.force_login(colleague)
    page = list_html(client)
    assert f'<a href="{village_sungaibangkong.get_absolute_url()}">' in page
    assert dinas.username not in page


def test_the_matrix_follows_a_new_visit(client, dinas, village_sungaibangkong):
    coaching.plan_generate(districts=pontianak_kota(), first_month=datetime.date(2018, 4, 1))
    client.force_login(dinas)

    def cells():
        page = client.get(reverse("coaching:matrix"), {"mulai": "2018-04"}).content.decode()
        return page.count('<td class="done"'), page.count('<td class="missed"')

    done, missed = cells()
    CoachingVisit.objects.create(kampung=village_sungaibangkong, date=datetime.date(2018, 4, 9))
    assert cells() == (done + 1, missed - 1)


def participants_html(client, event, **params):
    url = reverse("training:participants", args=[event.pk])
    return client.get(url, params).content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_the_participants_page_keeps_its_queries(
    client, dinas, django_assert_max_num_queries, size
):
    event = make_event()
    for _ in range(size):
        training.registration_create(event=event, person=make_person(), category="pengelola")
    client.force_login(dinas)
    # what every signed-in page reads, the event, the count, the page
    with django_assert_max_num_queries(SIGNED_IN + 3):
        assert participants_html(client, event).count("<tr>") == min(size, 50) + 1


@pytest.mark.parametrize("size", [1, 10])
def test_participants_of_every_kind_of_unit_keep_their_queries(
    client, dinas, django_assert_max_num_queries, size
):
    """The units a row names are read with it, in the same query."""
    event = make_event()
    village = make_village()
    agency = Agency.objects.order_by("pk").last()
    units = [
        ({"kampung": village}, str(village)),
        ({"kelurahan": village.kelurahan}, f"Kelurahan {village.kelurahan.name}"),
        ({"district": village.kelurahan.district}, f"Kecamatan {village.kelurahan.district.name}"),
        ({"agency": agency}, agency.name),
    ]
    for _ in range(size):
        for unit, _shown in units:
            training.registration_create(
                event=event, person=make_person(), category="undangan", **unit
            )
    client.force_login(dinas)
    # as above: the units come with the rows
    with django_assert_max_num_queries(SIGNED_IN + 3):
        page = participants_html(client, event)
    for _unit, shown in units:
        assert f'<td class="d-none d-md-table-cell">{shown}</td>' in page


def test_the_participants_follow_registrations_and_certificates(client, dinas):
    event = make_event(capacity=1)
    village = make_village()
    Manager.objects.create(
        kampung=village,
        person=make_person(name="Budi Pengelola"),
        role="ketua",
        start_date=datetime.date(2024, 1, 1),
    )
    client.force_login(dinas)
    assert "Belum ada peserta." in participants_html(client, event)
    first = training.registration_create(
        event=event, person=make_person(name="Ani Pertama"), category="pengelola"
    )
    assert "Ani Pertama" in participants_html(client, event)

    training.registrations_bulk_managers(event=event, districts=[village.kelurahan.district])
    page = participants_html(client, event)  # after a bulk insert
    assert "Budi Pengelola" in page and '<span class="badge status-waitlisted">' in page

    client.post(reverse("training:cancel", args=[event.pk, first.pk]))
    page = participants_html(client, event)
    assert '<span class="badge status-cancelled">Batal</span>' in page
    assert '<span class="badge status-waitlisted">' not in page  # Budi moved up

    budi = event.registrations.get(status="registered")
    Attendance.objects.create(registration=budi, day=event.days.get(), status="hadir")
    assert f"001/KKB/{event.code}/2024" not in participants_html(client, event)
    training.certificates_issue(event=event)  # a bulk update
    assert f"001/KKB/{event.code}/2024" in participants_html(client, event)


def test_the_participants_follow_people_of_other_cities(client, admin_user):
    guest = make_person("35.75", name="Tamu Pasuruan")
    village = make_village("35.75.01.1001", name="Kampung KB Tamu")
    events = [make_event("35.75"), make_event("61.71")]  # its own city first
    for event in events:
        training.registration_create(
            event=event, person=guest, category="pengelola", kampung=village
        )
    client.force_login(admin_user)
    assert all("Tamu Pasuruan" in participants_html(client, event) for event in events)
    guest.name = "Tamu Pasuruan Baru"
    guest.save()
    assert all("Tamu Pasuruan Baru" in participants_html(client, event) for event in events)
    village.name = "Kampung KB Tamu Baru"
    village.save()
    assert all("Kampung KB Tamu Baru" in participants_html(client, event) for event in events)

    registration = training.registration_create(
        event=events[1], person=make_person(), category="pengelola"
    )
    stand_in = make_person("35.75", name="Wakil Pasuruan")
    training.registration_substitute(registration=registration, substitute=stand_in)
    assert "Wakil Pasuruan" in participants_html(client, events[1])
    stand_in.name = "Wakil Pasuruan Baru"
    stand_in.save()
    assert "Wakil Pasuruan Baru" in participants_html(client, events[1])


def test_the_participants_carry_no_token_and_no_buttons_for_a_reader(client, dinas, camat):
    event = make_event(districts=["61.71.05"])
    training.registration_create(event=event, person=make_person(), category="pengelola")
    client.force_login(dinas)
    page = participants_html(client, event)
    assert page.count("csrfmiddlewaretoken") == 3  # sign-out, language, cancel form
    assert 'form="cancel-registration"' in page
    client.force_login(camat)
    page = participants_html(client, event)
    assert 'form="cancel-registration"' not in page and "Daftarkan massal" not in page


def grid_html(client, event, **params):
    return client.get(reverse("training:attendance", args=[event.pk]), params).content.decode()


def marked(page, registration, day):
    """The status selected in one cell of the attendance grid, "" for none."""
    cell = re.search(rf'name="a-{registration.pk}-{day.pk}".*?</select>', page, re.S).group()
    selected = re.search(r'<option value="([^"]*)" selected>', cell)
    return selected.group(1) if selected else ""


@pytest.mark.parametrize("size", [3, 30])
def test_the_attendance_grid_keeps_its_queries(client, dinas, django_assert_max_num_queries, size):
    event = make_event(days=(datetime.date(2024, 3, 27), datetime.date(2024, 3, 28)))
    for _ in range(size):
        training.registration_create(event=event, person=make_person(), category="pengelola")
    client.force_login(dinas)
    # what every signed-in page reads, the event, days, participants, cells
    with django_assert_max_num_queries(SIGNED_IN + 4):
        assert grid_html(client, event).count('name="a-') == 2 * size


def test_the_grid_follows_every_save_of_attendance(client, dinas, admin_client, admin_user):
    today = timezone.localdate()  # the city's today, on which a card checks in
    event = make_event(days=(today,))
    first, second = (
        training.registration_create(event=event, person=make_person(), category="pengelola")
        for _ in range(2)
    )
    day = event.days.get()
    client.force_login(dinas)
    assert marked(grid_html(client, event), first, day) == ""

    client.post(reverse("training:attendance", args=[event.pk]), {f"a-{first.pk}-{day.pk}": "izin"})
    assert marked(grid_html(client, event), first, day) == "izin"

    training.attendance_check_in(event=event, code=second.checkin_code, by=dinas)
    assert marked(grid_html(client, event), second, day) in {"hadir", "terlambat"}

    attendance = first.attendance.get()
    admin_client.post(
        reverse("admin:training_attendance_change", args=[attendance.pk]),
        {"registration": first.pk, "day": day.pk, "status": "sakit", "recorded_by": admin_user.pk},
    )
    assert marked(grid_html(client, event), first, day) == "sakit"
    admin_client.post(
        reverse("admin:training_attendance_delete", args=[attendance.pk]), {"post": "yes"}
    )
    assert marked(grid_html(client, event), first, day) == ""
    admin_client.post(
        reverse("admin:training_attendance_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [second.attendance.get().pk],
            "post": "yes",
        },
    )
    assert marked(grid_html(client, event), second, day) == ""

    phone = offline.Mark(
        id=uuid.uuid4(),
        made_at=timezone.now(),
        seen=None,
        registration=first.pk,
        day=day.pk,
        status="izin",
    )
    offline.receive(event=event, marks=[phone], by=dinas)  # a mark made without signal
    assert marked(grid_html(client, event), first, day) == "izin"


def test_the_grid_follows_participants_and_days(client, dinas):
    event = make_event()
    first = training.registration_create(
        event=event, person=make_person(name="Ani Pertama"), category="pengelola"
    )
    client.force_login(dinas)
    assert "Ani Pertama" in grid_html(client, event)

    training.registration_create(
        event=event, person=make_person(name="Budi Kedua"), category="pengelola"
    )
    assert "Budi Kedua" in grid_html(client, event)
    first.person.name = "Ani Pertama Baru"
    first.person.save()
    assert "Ani Pertama Baru" in grid_html(client, event)
    training.registration_substitute(registration=first, substitute=make_person(name="Citra Wakil"))
    assert "Citra Wakil" in grid_html(client, event)
    training.registration_cancel(registration=first)
    assert "Citra Wakil" not in grid_html(client, event)

    event.days.create(date=datetime.date(2024, 3, 28))
    assert "Kam 28 Mar" in grid_html(client, event)


def test_the_grid_carries_the_token_of_whoever_asks(client, dinas):
    event = make_event(days=(datetime.date(2024, 3, 27), datetime.date(2024, 3, 28)))
    registration = training.registration_create(
        event=event, person=make_person(), category="pengelola"
    )
    client.force_login(dinas)
    page = grid_html(client, event)
    assert page.count("csrfmiddlewaretoken") == 3  # sign-out, language, the grid
    one_day = grid_html(client, event, hari=event.days.last().pk)
    assert one_day.count(f'name="a-{registration.pk}-') == 1


def village_html(client, village):
    return client.get(village.get_absolute_url()).content.decode()


def test_the_village_page_follows_its_people(client, dinas, village_sungaibangkong):
    village = village_sungaibangkong
    client.force_login(dinas)
    assert "Belum ada pengelola." in village_html(client, village)
    manager = Manager.objects.create(
        kampung=village,
        person=make_person(name="Budi Pengelola"),
        role="ketua",
        start_date=datetime.date(2024, 1, 1),
    )
    assert "Budi Pengelola" in village_html(client, village)
    guest = make_person("35.75", name="Tamu Pasuruan")  # of another city
    manager.person = guest
    manager.save()
    assert "Tamu Pasuruan" in village_html(client, village)
    guest.name = "Tamu Pasuruan Baru"
    guest.save()
    assert "Tamu Pasuruan Baru" in village_html(client, village)

    pokja = Pokja.objects.create(
        level=Pokja.Level.KELURAHAN,
        city=village.kelurahan.district.city,
        district=village.kelurahan.district,
        kelurahan=village.kelurahan,
    )
    seat = PokjaMember.objects.create(
        pokja=pokja,
        person=make_person("35.75", name="Citra Pokja"),
        agency=Agency.objects.get(abbreviation="DINKES"),
        term_start=datetime.date(2024, 1, 1),
    )
    assert "Citra Pokja" in village_html(client, village)
    seat.person.name = "Citra Pokja Baru"
    seat.person.save()
    assert "Citra Pokja Baru" in village_html(client, village)
    pokja.kelurahan = Kelurahan.objects.get(code="61.71.05.1002")  # the Pokja of another
    pokja.save()
    assert "Citra Pokja Baru" not in village_html(client, village)
    pokja.kelurahan = village.kelurahan
    pokja.save()
    assert "Citra Pokja Baru" in village_html(client, village)
    seat.term_end = datetime.date(2025, 1, 1)
    seat.save()
    assert "Citra Pokja Baru" not in village_html(client, village)


def test_the_village_page_follows_its_work(client, dinas, village_sungaibangkong):
    village = village_sungaibangkong
    client.force_login(dinas)
    assert "Belum ada profil bulanan." in village_html(client, village)
    make_snapshot(village, month=datetime.date(2024, 5, 1))
    assert "Mei 2024" in village_html(client, village)
    CoachingVisit.objects.create(kampung=village, date=datetime.date(2024, 6, 3))
    assert "3 Jun 2024" in village_html(client, village)
    Need.objects.create(kampung=village, category="data", description="Papan data baru")
    assert "Papan data baru" in village_html(client, village)


def test_the_village_page_follows_trainings_in_any_city(client, dinas, village_sungaibangkong):
    village = village_sungaibangkong
    person = make_person(name="Budi Pengelola")
    Manager.objects.create(
        kampung=village, person=person, role="ketua", start_date=datetime.date(2024, 1, 1)
    )
    client.force_login(dinas)
    assert "Belum ada pelatihan." in village_html(client, village)
    event = make_event("35.75", title="Lokakarya Pasuruan")  # another city's event
    registration = training.registration_create(event=event, person=person, category="pengelola")
    assert "Lokakarya Pasuruan" in village_html(client, village)
    event.title = "Lokakarya Kota Pasuruan"
    event.save()
    assert "Lokakarya Kota Pasuruan" in village_html(client, village)
    training.registration_cancel(registration=registration)
    assert "Belum ada pelatihan." in village_html(client, village)

    bimtek = make_event("35.75", title="Bimtek Pasuruan")
    training.registrations_bulk_managers(event=bimtek, districts=[village.kelurahan.district])
    assert "Bimtek Pasuruan" in village_html(client, village)  # after a bulk insert


def test_the_village_page_carries_each_readers_token_and_role(
    dinas, lurah_sungaibangkong, village_sungaibangkong
):
    village = village_sungaibangkong
    client = Client(enforce_csrf_checks=True)
    client.force_login(dinas)
    page = village_html(client, village)
    token = re.search(
        r'action="[^"]*/klasifikasi/".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S
    ).group(1)
    response = client.post(
        reverse("villages:override", args=[village.pk]),
        {"csrfmiddlewaretoken": token, "level": "mandiri", "reason": "Hasil verifikasi lapangan"},
    )
    assert response.status_code == 302
    assert "Hasil verifikasi lapangan" in village_html(client, village)

    reader = Client()
    reader.force_login(lurah_sungaibangkong)
    page = village_html(reader, village)
    assert "Hasil verifikasi lapangan" in page
    assert "klasifikasi/" not in page and "Daftar Kampung KB" not in page  # no form, no list


@pytest.mark.parametrize("moved", ["kelurahan", "kecamatan"])
def test_regions_moved_in_bulk_take_their_villages_along(
    client, dinas, dinas_pasuruan, village_sungaibangkong, moved
):
    kelurahan = village_sungaibangkong.kelurahan
    if moved == "kelurahan":
        Kelurahan.objects.filter(pk=kelurahan.pk).update(
            district=District.objects.get(code="35.75.01")
        )
    else:
        District.objects.filter(pk=kelurahan.district_id).update(
            city=City.objects.get(code="35.75")
        )
    assert KampungKB.objects.get(pk=village_sungaibangkong.pk).city.code == "35.75"
    client.force_login(dinas)
    assert village_sungaibangkong.name not in list_html(client)
    client.force_login(dinas_pasuruan)
    assert village_sungaibangkong.name in list_html(client)


def test_a_kelurahan_renamed_in_bulk_moves_no_village(village_sungaibangkong):
    Kelurahan.objects.filter(pk=village_sungaibangkong.kelurahan_id).update(name="Baru")
    assert KampungKB.objects.get(pk=village_sungaibangkong.pk).city.code == "61.71"
