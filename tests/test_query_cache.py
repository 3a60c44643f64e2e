"""The query cache as gunicorn's workers share it (django-cachalot on the "queries"
cache of the settings): rows committed, results kept in files. A page asked again
reads its counts from the cache, and any write to a table they come from (a save,
`update()`, a delete, raw SQL, a kelurahan moved to another kota) shows on the very
next request. They run outside a transaction, as the workers do: inside one, nothing is
read from the cache (`kampungkb/querycache.py`), and most tests run inside one."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from villages.models import District, KampungKB, Kelurahan, Level

from .conftest import make_user
from .factories import make_village

pytestmark = pytest.mark.django_db(transaction=True)

LIST = reverse("villages:list")


@pytest.fixture(autouse=True)
def empty_query_cache():
    """From an empty cache, as after a deploy: a full one drops entries at random."""
    caches[settings.CACHALOT_CACHE].clear()


@pytest.fixture
def signed_in(client, reference_data):
    client.force_login(make_user("dinas.pontianak", "dinas", cities=["61.71"]))
    return client


@pytest.fixture
def village(reference_data):
    return make_village("61.71.05.1001", name="Kampung KB Bangkong Berseri")


def level_counts(client):
    return dict(client.get(LIST).context["level_counts"])


def queries_sent(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [query["sql"] for query in captured]


def test_a_list_asked_again_counts_nothing_anew(signed_in, village):
    first = queries_sent(signed_in, LIST)
    again = queries_sent(signed_in, LIST)
    assert any("COUNT(" in sql for sql in first)
    assert not any("COUNT(" in sql for sql in again)
    assert len(again) < len(first)


def set_level_by_update(village):
    KampungKB.objects.filter(pk=village.pk).update(
        level_override=Level.BERKELANJUTAN, override_reason="Verifikasi lapangan"
    )


def set_level_by_save(village):
    village.level_override = Level.BERKELANJUTAN
    village.override_reason = "Verifikasi lapangan"
    village.save()


def set_level_by_raw_sql(village):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE villages_kampungkb SET level_override = %s, override_reason = %s WHERE id = %s",
            [Level.BERKELANJUTAN.value, "Verifikasi lapangan", village.pk],
        )


@pytest.mark.parametrize("write", [set_level_by_update, set_level_by_save, set_level_by_raw_sql])
def test_the_counts_follow_a_changed_level_however_it_is_written(signed_in, village, write):
    assert level_counts(signed_in)[Level.DASAR] == 1
    assert level_counts(signed_in)[Level.DASAR] == 1  # now from the cache
    write(village)
    counts = level_counts(signed_in)
    assert (counts[Level.DASAR], counts[Level.BERKELANJUTAN]) == (0, 1)


def test_the_counts_follow_a_deleted_village(signed_in, village):
    assert level_counts(signed_in)[Level.DASAR] == 1
    KampungKB.objects.filter(pk=village.pk).delete()
    assert level_counts(signed_in)[Level.DASAR] == 0


def test_the_counts_follow_a_kelurahan_moved_to_another_kota(signed_in, village):
    assert level_counts(signed_in)[Level.DASAR] == 1
    pasuruan = District.objects.filter(city__code="35.75").first()
    Kelurahan.objects.filter(pk=village.kelurahan_id).update(district=pasuruan)
    assert level_counts(signed_in)[Level.DASAR] == 0


def test_a_new_village_shows_on_the_dashboard_at_once(signed_in, village):
    dashboard = reverse("overview:dashboard")
    assert signed_in.get(dashboard).context["village_count"] == 1
    make_village("61.71.05.1002")
    assert signed_in.get(dashboard).context["village_count"] == 2


def test_a_read_inside_a_transaction_goes_to_the_database(village):
    """A service that locks rows and reads what it will change sees the last commit."""
    village_row = KampungKB.objects.filter(pk=village.pk)
    village_row.get()
    with CaptureQueriesContext(connection) as outside:
        village_row.get()
    with transaction.atomic(), CaptureQueriesContext(connection) as inside:
        village_row.get()
    assert (len(outside), len(inside)) == (0, 1)
