"""Pages run the same number of queries whatever the amount of data (issue: national
scale). The synthetic generator is run at two sizes and every measured page counted."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from kampungkb.management.commands.benchmark import benchmark_pages, count_queries
from kampungkb.management.commands.generate_scale import BENCH_USER
from villages.models import City, KampungKB

pytestmark = pytest.mark.django_db


def generate(villages):
    call_command(
        "generate_scale",
        villages=villages,
        persons=villages * 3,
        events=4,
        attendance=villages * 2,
        visits=villages * 6,
        stdout=StringIO(),
    )


def test_synthetic_codes_never_touch_the_reference_data():
    generate(30)
    synthetic = City.objects.filter(code__startswith="99.")
    assert synthetic.count() == 1
    assert City.objects.exclude(code__startswith="99.").count() == 2  # Pontianak, Pasuruan
    assert KampungKB.objects.filter(kelurahan__district__city__in=synthetic).count() == 30


def test_generating_twice_is_refused():
    generate(10)
    with pytest.raises(Exception, match="already there"):
        generate(10)


#: Queries per page once the per-city figures are cached, the same at both sizes
#: below. Signed-in pages start with the session, the user and the user's groups (3);
#: see each page's own test for the rest.
EXPECTED_QUERIES = {
    "hello": 0,
    "hello_signed_in": 2,  # the session, the user
    "layout_only": 3,
    "login": 0,
    # + the user's cities and the page kept for them (kampungkb/fragments.py); drawn,
    # it reads the filter's places, the cached counts and the page of villages
    "village_list_p1": 5,
    "village_list_p500": 5,
    "village_page": 13,  # + snapshots, managers, Pokja, its people, trainings, visits, needs…
    "participants_155": 5,  # + the event, the list kept for its city
    "attendance_grid_155x2": 5,  # + the event, the grid kept for it
    "coverage_matrix": 5,  # + the user's cities and the matrix kept for them
    "dashboard": 5,  # + the user's cities and the dashboard kept for them
}


@pytest.mark.parametrize("villages", [40, 400])
def test_page_queries_do_not_grow_with_the_data(villages):
    generate(villages)
    user = User.objects.get(username=BENCH_USER)
    assert count_queries(user, benchmark_pages()) == EXPECTED_QUERIES
