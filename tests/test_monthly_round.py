"""The monthly round as a dinas officer lives it: a new profile opens with last month's
answers, marks what differs, and the month sheet fills a whole area's month, a
village at a time or all those ticked, as "the same as last month"."""

import datetime

import pytest
from django.urls import reverse

from villages.models import ProfileSnapshot

from .conftest import SIGNED_IN
from .factories import ALL_INPUT, ALL_PROCESS, make_snapshot, make_village
from .forms import page_form_data

pytestmark = pytest.mark.django_db

FEBRUARY, MARCH, APRIL = (datetime.date(2024, m, 1) for m in (2, 3, 4))


@pytest.fixture
def signed_in(client, dinas):
    client.force_login(dinas)
    return client


def test_a_new_profile_sent_as_opened_is_last_months_for_the_next_month(signed_in):
    village = make_village()
    last = make_snapshot(
        village, MARCH, **ALL_INPUT, **ALL_PROCESS, pkb_name="Bu Rina", steered_by="", pus=120
    )
    url = reverse("villages:snapshot_create", args=[village.pk])
    page = signed_in.get(url)
    assert page.context["form"]["month"].value() == APRIL
    assert signed_in.post(url, page_form_data(page)).status_code == 302
    new = ProfileSnapshot.objects.get(kampung=village, month=APRIL)
    assert new.answers() == last.answers()


def test_the_answers_that_differ_from_last_month_are_marked_with_last_months_value(signed_in):
    village = make_village()
    make_snapshot(village, MARCH, pus=120, users_pill=30)
    url = reverse("villages:snapshot_create", args=[village.pk])
    data = {**page_form_data(signed_in.get(url)), "pus": "125", "users_pill": "300"}
    page = signed_in.post(url, data)  # refused (more users than PUS): drawn again, marked
    assert page.status_code == 200
    form = page.context["form"]
    assert form.fields["pus"].help_text == "Bulan lalu: 120"
    assert "answer-changed" in page.content.decode()
    assert form.fields["families"].help_text == ""  # unchanged: no mark


def test_a_profile_asked_for_a_month_opens_on_it_with_the_latest_before_it(signed_in):
    village = make_village()
    make_snapshot(village, FEBRUARY, pus=80)
    make_snapshot(village, APRIL, pus=140)
    page = signed_in.get(
        reverse("villages:snapshot_create", args=[village.pk]), {"bulan": "2024-03"}
    )
    form = page.context["form"]
    assert (form["month"].value(), form["pus"].value()) == (MARCH, 80)


def month_sheet(client, **params):
    return client.get(reverse("villages:month_sheet"), {"bulan": "2024-04", **params})


def test_the_month_sheet_says_which_villages_entered_their_month(signed_in):
    entered = make_village(name="Kampung KB A")
    make_snapshot(entered, MARCH, pus=100)
    make_snapshot(entered, APRIL, pus=110)
    same = make_village(name="Kampung KB B")
    make_snapshot(same, MARCH, pus=100)
    make_snapshot(same, APRIL, pus=100)
    missing = make_village(name="Kampung KB C")
    make_snapshot(missing, MARCH, pus=100)
    never = make_village(name="Kampung KB D")
    rows = {row.village.name: row for row in month_sheet(signed_in).context["rows"]}
    assert {name: row.state for name, row in rows.items()} == {
        entered.name: "entered",
        same.name: "same",
        missing.name: "missing",
        never.name: "missing",
    }
    assert (rows[missing.name].can_copy, rows[never.name].can_copy) == (True, False)
    assert rows[entered.name].level == "dasar"
    assert "2 dari 4 Kampung KB sudah mengisi." in month_sheet(signed_in).content.decode()


def test_the_same_as_last_month_for_three_villages_writes_three_profiles_and_histories(
    signed_in, dinas
):
    villages = [make_village(name=f"Kampung KB {n}") for n in range(4)]
    for n, village in enumerate(villages):
        make_snapshot(village, MARCH if n else FEBRUARY, pus=100 + n, **ALL_INPUT)
    chosen = villages[:3]
    history_before = ProfileSnapshot.history.count()
    response = signed_in.post(
        reverse("villages:profile_copy"),
        {"month": "2024-04", "villages": [v.pk for v in chosen], "next": "/kampung/profil/"},
    )
    assert response.status_code == 302 and response.url == "/kampung/profil/"
    copies = ProfileSnapshot.objects.filter(month=APRIL)
    assert sorted(c.kampung_id for c in copies) == sorted(v.pk for v in chosen)
    for copy in copies:
        source = ProfileSnapshot.objects.filter(kampung=copy.kampung, month__lt=APRIL).first()
        assert copy.answers() == source.answers()
    histories = ProfileSnapshot.history.filter(month=APRIL)
    assert ProfileSnapshot.history.count() == history_before + 3
    assert {h.history_change_reason for h in histories} == {
        "disalin dari profil Februari 2024",
        "disalin dari profil Maret 2024",
    }
    assert {h.history_user for h in histories} == {dinas}
    again = signed_in.post(
        reverse("villages:profile_copy"), {"month": "2024-04", "villages": [chosen[0].pk]}
    )
    assert again.status_code == 302  # already there: skipped, nothing doubled
    assert ProfileSnapshot.objects.filter(month=APRIL).count() == 3


def test_the_copy_reaches_only_villages_in_the_users_area(signed_in):
    village = make_village("35.75.01.1001")  # Pasuruan: not the Pontianak officer's
    make_snapshot(village, MARCH)
    signed_in.post(reverse("villages:profile_copy"), {"month": "2024-04", "villages": [village.pk]})
    assert not ProfileSnapshot.objects.filter(month=APRIL).exists()


@pytest.mark.parametrize("size", [2, 20])
def test_the_month_sheet_keeps_its_queries(signed_in, django_assert_max_num_queries, size):
    for n in range(size):
        village = make_village(name=f"Kampung KB {n:02d}")
        make_snapshot(village, MARCH)
    # what every signed-in page reads, the kota and kecamatan of the filter, the count,
    # the page of villages, their profiles, the agencies of their activities, the count
    # entered
    with django_assert_max_num_queries(SIGNED_IN + 7):
        assert month_sheet(signed_in).status_code == 200
