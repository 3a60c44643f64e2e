"""The level a village page shows, the list filters by and the dashboard counts is the
level the portal's rule gives for the data now, however the data was written
(villages/levels.py)."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from villages.classification import assess
from villages.models import KampungKB, Level, ProfileSnapshot

from .factories import ALL_INPUT, ALL_OUTPUT, ALL_PROCESS, make_snapshot, make_village
from .forms import admin_change, admin_delete, admin_url, page_form_data

pytestmark = pytest.mark.django_db

JANUARY = datetime.date(2024, 1, 1)
FEBRUARY = datetime.date(2024, 2, 1)


def village_assess(village):
    """The rule, on the village's latest profile now."""
    village = KampungKB.objects.with_agency_count().get(pk=village.pk)
    return assess(village, village.snapshots.order_by("-month").first())


def shown_levels(client, village):
    """The level of `village` as its page and the list filter see it."""
    page = client.get(village.get_absolute_url()).context
    assert page["village"].level == page["assessment"].computed_level  # stored = live
    in_list = {
        level
        for level in Level
        for row in client.get(reverse("villages:list"), {"level": level}).context["page"]
        if row.pk == village.pk
    }
    return page["village"].level, in_list


def assert_level(client, village, level):
    assert village_assess(village).computed_level == level  # the rule, on the data now
    assert shown_levels(client, village) == (level, {level})
    # and the dashboard counts every village of the city at the level the rule gives it
    judged = Counter(village_assess(v).computed_level for v in KampungKB.objects.all())
    counted = client.get(reverse("overview:dashboard")).context["level_mix"]
    assert {level: n for level, n in counted if n} == judged


@pytest.fixture
def signed_in(client, dinas):
    client.force_login(dinas)
    return client


def test_a_snapshot_changed_and_deleted_in_the_admin(signed_in, admin_client):
    village = make_village()
    assert_level(signed_in, village, Level.DASAR)
    snapshot = make_snapshot(village, JANUARY, **ALL_INPUT, **ALL_PROCESS)
    assert_level(signed_in, village, Level.BERKEMBANG)

    admin_change(admin_client, snapshot, pokja_formed="")  # unticked: input 2.60
    assert_level(signed_in, village, Level.DASAR)

    add = admin_client.get(reverse("admin:villages_profilesnapshot_add"))
    data = {**page_form_data(add), "kampung": village.pk, "month": "2024-02-01"}
    profile = {**ALL_INPUT, **ALL_PROCESS, **ALL_OUTPUT}
    data.update({k: "on" if v is True else v for k, v in profile.items()})
    assert admin_client.post(reverse("admin:villages_profilesnapshot_add"), data).status_code == 302
    assert_level(signed_in, village, Level.BERKELANJUTAN)

    admin_delete(admin_client, ProfileSnapshot.objects.get(month=FEBRUARY))
    assert_level(signed_in, village, Level.DASAR)
    admin_delete(admin_client, snapshot)
    assert_level(signed_in, village, Level.DASAR)


def test_snapshots_written_in_bulk(signed_in):
    village = make_village()
    ProfileSnapshot.objects.bulk_create([ProfileSnapshot(kampung=village, month=JANUARY, pus=1)])
    assert_level(signed_in, village, Level.DASAR)
    ProfileSnapshot.objects.filter(kampung=village).update(**ALL_INPUT, **ALL_PROCESS)
    assert_level(signed_in, village, Level.BERKEMBANG)
    ProfileSnapshot.objects.bulk_create(
        [ProfileSnapshot(kampung=village, month=FEBRUARY, **ALL_INPUT, **ALL_OUTPUT)]
    )
    assert_level(signed_in, village, Level.MANDIRI)  # the latest month counts
    village.snapshots.all().delete()
    assert_level(signed_in, village, Level.DASAR)


def test_a_village_is_judged_on_its_own_profile_alone(signed_in, admin_client):
    """The portal scores a village on its own latest profile: another village's data,
    an older month or a move to another city changes nothing."""
    village = make_village()
    make_snapshot(village, FEBRUARY, **ALL_INPUT, **ALL_PROCESS)
    make_snapshot(village, JANUARY, **ALL_INPUT, **ALL_PROCESS, **ALL_OUTPUT)
    neighbour = make_snapshot(make_village("61.71.05.1002"), FEBRUARY, **ALL_OUTPUT)
    assert_level(signed_in, village, Level.BERKEMBANG)
    ProfileSnapshot.objects.filter(pk=neighbour.pk).update(pus=1000)
    neighbour.delete()
    assert_level(signed_in, village, Level.BERKEMBANG)

    pasuruan = make_village("35.75.01.1001")
    admin_change(admin_client, village, kelurahan=pasuruan.kelurahan_id)
    village.refresh_from_db()
    assert village.city.code == "35.75"
    assert village.computed_level == Level.BERKEMBANG


def test_every_migrate_judges_every_village_again(db):
    village = make_village()
    make_snapshot(village, JANUARY, **ALL_INPUT, **ALL_PROCESS)
    KampungKB.objects.filter(pk=village.pk).update(computed_level=Level.BERKELANJUTAN)
    call_command("migrate", verbosity=0)
    village.refresh_from_db()
    assert village.computed_level == Level.BERKEMBANG


def test_the_admin_shows_the_computed_level_but_cannot_set_it(admin_client):
    village = make_village()
    form = admin_client.get(admin_url(village)).context["adminform"].form
    assert "computed_level" not in form.fields
