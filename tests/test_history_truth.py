"""The history tells only what happened, and all of it: no row for a save that changed
nothing, a list of choices compared as a set, a level the rule changed written as
the rule's doing, and the many-to-many fields of visits, events and activities."""

import datetime

import pytest
from django.urls import reverse

from coaching.models import CoachingVisit
from kampungkb.history import history_rows
from villages.models import Agency, District, KampungKB

from .factories import ALL_INPUT, ALL_PROCESS, make_activity, make_event, make_person, make_snapshot
from .forms import admin_url, page_form_data, submit

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2024, 3, 5)


@pytest.fixture
def signed_in(client, dinas):
    client.force_login(dinas)
    return client


def test_a_form_sent_back_unchanged_writes_no_history(signed_in, village_sungaibangkong):
    village = village_sungaibangkong
    village.location_criteria = ["kumuh", "das"]
    village.save()
    url = reverse("villages:edit", args=[village.pk])
    before = village.history.count()
    data = {**page_form_data(signed_in.get(url)), "location_criteria": ["das", "kumuh"]}
    response = signed_in.post(url, data, follow=True)
    assert "Tidak ada perubahan" in response.content.decode()
    assert village.history.count() == before


def test_the_admin_saving_an_unchanged_record_writes_no_history(
    admin_client, village_sungaibangkong
):
    before = village_sungaibangkong.history.count()
    page = admin_client.get(admin_url(village_sungaibangkong))
    assert (
        admin_client.post(admin_url(village_sungaibangkong), page_form_data(page)).status_code
        == 302
    )
    assert village_sungaibangkong.history.count() == before


def test_a_list_in_another_order_beside_a_real_change_shows_only_the_real_one(
    signed_in, village_sungaibangkong
):
    village = village_sungaibangkong
    village.location_criteria = ["kumuh", "das"]
    village.save()
    url = reverse("villages:edit", args=[village.pk])
    submit(signed_in, url, location_criteria=["das", "kumuh"], rw_covered="RW 09")
    [row] = history_rows(village.history.all(), limit=1)
    assert [change.field for change in row.changes] == ["RW yang dicakup"]


def test_a_level_the_rule_changed_is_the_rules_doing_not_the_editors(
    signed_in, dinas, village_sungaibangkong
):
    village = village_sungaibangkong
    make_snapshot(village, **ALL_INPUT, **ALL_PROCESS)  # Dasar → Berkembang
    submit(signed_in, reverse("villages:edit", args=[village.pk]), rw_covered="RW 02")
    edit, rejudged = history_rows(village.history.all(), limit=2)
    assert (edit.who, [c.field for c in edit.changes]) == (dinas, ["RW yang dicakup"])
    assert rejudged.who is None
    assert rejudged.reason == "klasifikasi dihitung ulang dari data"
    assert [(c.field, c.old, c.new) for c in rejudged.changes] == [
        ("klasifikasi terhitung", "Dasar", "Berkembang")
    ]


def test_a_visits_team_and_agencies_are_in_its_history_once_per_save(
    signed_in, village_sungaibangkong
):
    visit = CoachingVisit.objects.create(kampung=village_sungaibangkong, date=MARCH)
    staff = make_person(name="Petugas PKB")
    dinkes = Agency.objects.get(abbreviation="DINKES")
    before = visit.history.count()
    submit(
        signed_in,
        reverse("coaching:visit_edit", args=[visit.pk]),
        team=[staff.pk],
        agencies_present=[dinkes.pk],
    )
    assert visit.history.count() == before + 1  # the row and its team: one record
    [row] = history_rows(visit.history.all(), limit=1)
    assert {(c.field, c.old, c.new) for c in row.changes} == {
        ("tim", "", "Petugas PKB"),
        ("instansi hadir", "", "DINKES"),
    }


def test_an_events_kecamatan_and_an_activitys_agencies_are_in_their_history(
    village_sungaibangkong,
):
    event = type(made := make_event(districts=["61.71.05"])).objects.get(pk=made.pk)  # anew
    event.target_districts.add(District.objects.get(code="61.71.01"))
    [row, *_] = history_rows(event.history.all())
    assert [(c.old, c.new) for c in row.changes] == [
        ("Pontianak Kota", "Pontianak Kota, Pontianak Selatan")
    ]
    activity = make_activity(village_sungaibangkong, agencies=["DINKES"])
    Agency.objects.get(abbreviation="DINKES").activities.remove(activity)  # from the other side
    activity = type(activity).objects.get(pk=activity.pk)
    [row, *_] = history_rows(activity.history.all())
    assert [(c.field, c.old, c.new) for c in row.changes] == [
        ("perangkat daerah yang terlibat", "DINKES", "")
    ]


@pytest.mark.parametrize("saves", [1, 12])
def test_the_many_to_many_history_is_read_without_a_query_per_record(
    django_assert_max_num_queries, village_sungaibangkong, saves
):
    visit = CoachingVisit.objects.create(kampung=village_sungaibangkong, date=MARCH)
    for n in range(saves):  # each change its own request's: the visit read anew
        CoachingVisit.objects.get(pk=visit.pk).team.add(make_person(name=f"Petugas {n}"))
    # the records with their users, the rows of each of the two fields, the people and
    # agencies they name
    with django_assert_max_num_queries(5):
        rows = history_rows(visit.history.all(), limit=20)
    assert len(rows) == saves + 1
    assert KampungKB.objects.count() == 1
