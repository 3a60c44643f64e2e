"""The level a village page shows, the list filters by and the dashboard counts is the
level the classification rule gives for the data now, however the data was written
(villages/levels.py)."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from villages.models import KampungKB, Kelurahan, Level, ProfileSnapshot
from villages.services import village_assess

from .factories import ALL_INPUT, ALL_PROCESS, make_snapshot, make_village
from .forms import admin_change, admin_delete, admin_url, page_form_data

pytestmark = pytest.mark.django_db

JANUARY = datetime.date(2024, 1, 1)
FEBRUARY = datetime.date(2024, 2, 1)


def shown_levels(client, village):
    """The level of `village` as its page and the list filter see it."""
    page = client.get(village.get_absolute_url()).context
    assert page["village"].level == page["assessment"].computed_level  # stored = live
    in_list = {
        level
        for level in Level
        if village in client.get(reverse("villages:list"), {"level": level}).context["page"]
    }
    return page["village"].level, in_list


def assert_level(client, village, level):
    assert village_assess(village).computed_level == level  # the rule, on the data now
    assert shown_levels(client, village) == (level, {level})
    # and the dashboard counts every village of the city at the level the rule gives it
    judged = Counter(village_assess(v).computed_level for v in KampungKB.objects.all())
    counted = client.get(reverse("dashboard")).context["level_mix"]
    assert {level: n for level, n in counted if n} == judged


@pytest.fixture
def signed_in(client, dinas):
    client.force_login(dinas)
    return client


def test_a_snapshot_changed_and_deleted_in_the_admin(signed_in, admin_client):
    village = make_village()
    assert_level(signed_in, village, Level.DASAR)
    snapshot = make_snapshot(village, JANUARY, **ALL_INPUT)
    assert_level(signed_in, village, Level.BERKEMBANG)

    admin_change(admin_client, snapshot, pokja_trained="")  # unticked
    assert_level(signed_in, village, Level.DASAR)

    add = admin_client.get(reverse("admin:villages_profilesnapshot_add"))
    data = {**page_form_data(add), "kampung": village.pk, "month": "2024-02-01", "pus": "100"}
    data.update({field: "on" for field in ALL_INPUT if field != "funding_sources"})
    data.update(ALL_PROCESS, funding_sources=["apbd"])
    assert admin_client.post(reverse("admin:villages_profilesnapshot_add"), data).status_code == 302
    assert_level(signed_in, village, Level.MANDIRI)

    admin_delete(admin_client, ProfileSnapshot.objects.get(month=FEBRUARY))
    assert_level(signed_in, village, Level.DASAR)
    admin_delete(admin_client, snapshot)
    assert_level(signed_in, village, Level.DASAR)


def test_snapshots_written_in_bulk(signed_in):
    village = make_village()
    ProfileSnapshot.objects.bulk_create([ProfileSnapshot(kampung=village, month=JANUARY, pus=1)])
    assert_level(signed_in, village, Level.DASAR)
    ProfileSnapshot.objects.filter(kampung=village).update(**ALL_INPUT)
    assert_level(signed_in, village, Level.BERKEMBANG)
    village.snapshots.all().delete()
    assert_level(signed_in, village, Level.DASAR)


def mandiri_against_the_city(village, **figures):
    return make_snapshot(village, JANUARY, **ALL_INPUT, **ALL_PROCESS, **figures)


def test_the_city_figures_a_first_snapshot_is_judged_against(signed_in):
    """A village's only snapshot is judged against its city's figures of that month,
    which every snapshot of the city in that month makes up."""
    village = make_village()
    mandiri_against_the_city(village, pus=100, users_pill=50, users_iud=10, iat=5)
    # alone in the city, it is the city: no figure is better than the city's
    assert_level(signed_in, village, Level.MANDIRI)

    other = make_village("61.71.05.1002")
    weaker = make_snapshot(other, JANUARY, pus=100, users_pill=40, iat=20)
    # now the city's CPR is 50 %, MKJP 10 %, unmet need 12.5 %: the village does better
    assert_level(signed_in, village, Level.BERKELANJUTAN)

    ProfileSnapshot.objects.filter(pk=weaker.pk).update(users_pill=60, users_iud=30, iat=0)
    assert_level(signed_in, village, Level.MANDIRI)
    weaker.delete()
    assert_level(signed_in, village, Level.MANDIRI)


def test_a_village_moved_to_another_city_is_judged_against_it(signed_in, admin_client):
    village = make_village()
    mandiri_against_the_city(village, pus=100, users_pill=50, users_iud=10, iat=5)
    make_snapshot(make_village("61.71.05.1002"), JANUARY, pus=100, users_pill=40, iat=20)
    assert_level(signed_in, village, Level.BERKELANJUTAN)
    tengah = Kelurahan.objects.get(code="61.71.05.1003")
    KampungKB.objects.filter(pk=village.pk).update(kelurahan=tengah)
    assert_level(signed_in, village, Level.BERKELANJUTAN)  # the same city still

    pasuruan = make_village("35.75.01.1001")  # alone in Pasuruan: as good as the city
    village.refresh_from_db()
    admin_change(admin_client, village, kelurahan=pasuruan.kelurahan_id)
    village.refresh_from_db()
    assert village.city.code == "35.75"
    assert village_assess(village).computed_level == village.computed_level


def test_every_migrate_judges_every_village_again(db):
    village = make_village()
    make_snapshot(village, JANUARY, **ALL_INPUT)
    KampungKB.objects.filter(pk=village.pk).update(computed_level=Level.BERKELANJUTAN)
    call_command("migrate", verbosity=0)
    village.refresh_from_db()
    assert village.computed_level == Level.BERKEMBANG


def test_the_admin_shows_the_computed_level_but_cannot_set_it(admin_client):
    village = make_village()
    form = admin_client.get(admin_url(village)).context["adminform"].form
    assert "computed_level" not in form.fields
