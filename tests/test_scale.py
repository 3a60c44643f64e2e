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
#: below. Signed-in pages start with the session, which brings the user and the
#: profile that tells the role and the cities (1); see each page's own test for the rest.
EXPECTED_QUERIES = {
    "hello": 0,
    "hello_signed_in": 1,  # the session with the user
    "layout_only": 1,
    "login": 0,
    # + the page kept for the user's cities (kampungkb/fragments.py); drawn, it
    # reads the filter's places, the cached counts and the page of villages
    "village_list_p1": 2,
    "village_list_p500": 2,
    "village_page": 3,  # + the village, the page kept for its city
    "participants_155": 3,  # + the event, the list kept for its city
    "attendance_grid_155x2": 3,  # + the event, the grid kept for it
    "coverage_matrix": 2,  # + the matrix kept for the user's cities
    "dashboard": 2,  # + the dashboard kept for the user's cities
}


@pytest.mark.parametrize("villages", [40, 400])
def test_page_queries_do_not_grow_with_the_data(villages):
    generate(villages)
    user = User.objects.get(username=BENCH_USER)
    assert count_queries(user, benchmark_pages()) == EXPECTED_QUERIES
