"""What a plain write costs: the row and its history, and for a profile the level it
judges (villages/levels.py). Nothing else listens to a save."""

import datetime

import pytest

from villages.models import KampungKB, Kelurahan, ProfileSnapshot

from .factories import ALL_INPUT, ALL_PROCESS, make_person, make_snapshot, make_village

pytestmark = pytest.mark.django_db


def test_a_person_saved_costs_the_row_and_its_history(django_assert_num_queries):
    person = make_person()
    person.name = "Siti Aminah"
    with django_assert_num_queries(2):
        person.save()


def test_a_profile_saved_costs_the_row_its_history_and_the_level_it_judges(
    django_assert_max_num_queries,
):
    village = make_village()
    snapshot = make_snapshot(village)
    snapshot.pus = 150
    # the village it belonged to before, the row, its history, the village's latest
    # profile, the village with its agencies counted (and, were the level to change,
    # the level and its history row)
    with django_assert_max_num_queries(5):
        snapshot.save()
    snapshot.__dict__.update(ALL_INPUT, **ALL_PROCESS)
    # and, in a savepoint of its own, the new level with its history row
    with django_assert_max_num_queries(5 + 4):
        snapshot.save()
    village.refresh_from_db()
    assert village.computed_level == "berkembang"


def test_a_village_moved_in_bulk_costs_one_update(django_assert_num_queries):
    village = make_village()
    kelurahan = Kelurahan.objects.get(code="61.71.05.1002")
    with django_assert_num_queries(1):
        KampungKB.objects.filter(pk=village.pk).update(kelurahan=kelurahan)


def test_a_profile_updated_in_bulk_judges_its_villages_once(django_assert_max_num_queries):
    snapshot = make_snapshot(make_village(), datetime.date(2024, 1, 1))
    # savepoint, the rows' keys, their villages before and after, the update, the
    # villages' latest profiles, the villages with their agencies counted, release
    with django_assert_max_num_queries(8):
        ProfileSnapshot.objects.filter(pk=snapshot.pk).update(pus=200)
