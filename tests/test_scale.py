"""Pages run the same number of queries whatever the amount of data (issue: national
scale). The synthetic generator is run at two sizes and every measured page counted."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from overview.management.commands.benchmark import benchmark_pages, count_queries
from overview.management.commands.generate_scale import BENCH_USER
from villages.models import City, KampungKB, Level

from .conftest import SIGNED_IN

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


def test_synthetic_villages_reach_every_level():
    generate(8)
    assert set(KampungKB.objects.values_list("computed_level", flat=True)) == set(Level.values)


def signs_in(client, password):
    response = client.post(
        reverse("accounts:login"), {"username": BENCH_USER, "password": password}
    )
    return response.status_code == 302


def test_the_national_user_signs_in_with_the_password_printed(client):
    out = StringIO()
    call_command("generate_scale", villages=5, persons=10, events=1, attendance=5, visits=5,
                 stdout=out)  # fmt: skip
    printed = out.getvalue().split("its password, made for this run: ")[1].split()[0]
    assert signs_in(client, printed)


def test_the_national_user_signs_in_with_the_password_given(client):
    call_command("generate_scale", villages=5, persons=10, events=1, attendance=5, visits=5,
                 password="sandi-nasional-uji", stdout=StringIO())  # fmt: skip
    assert signs_in(client, "sandi-nasional-uji")


def test_generating_twice_is_refused():
    generate(10)
    with pytest.raises(Exception, match="already there"):
        generate(10)


#: Queries per page when nothing is in the query cache, the same at both sizes below.
#: Signed-in pages start with the session and the user with their profile and groups.
#: See each page's own test too.
EXPECTED_QUERIES = {
    "hello": 0,
    "layout_only": SIGNED_IN,
    "login": 0,
    # + the filter's kota and kecamatan, the count at each level (and so of all rows),
    # the page
    "village_list_p1": SIGNED_IN + 4,
    "village_list_p500": SIGNED_IN + 4,
    # + the village, its snapshots, managers, Pokja members, visits, activities, open
    # needs, history, and the trainings of its people
    "village_page": SIGNED_IN + 9,
    "participants_155": SIGNED_IN + 3,  # + the event, the count, the page
    "attendance_grid_155x2": SIGNED_IN + 4,  # + the event, days, participants, cells
    # + the kota and kecamatan, the count of villages, the page, their plans and visits,
    # and the totals of their kecamatan
    "coverage_matrix": SIGNED_IN + 7,
    # + the count at each level and the five programme figures
    "dashboard": SIGNED_IN + 6,
}


@pytest.mark.parametrize("villages", [40, 400])
def test_page_queries_do_not_grow_with_the_data(villages):
    generate(villages)
    user = User.objects.get(username=BENCH_USER)
    assert count_queries(user, benchmark_pages()) == EXPECTED_QUERIES
