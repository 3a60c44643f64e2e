"""The monthly profile holds what the national portal asks, and no figure in it
exceeds the whole it is part of: the form says so beside the field, the database
refuses it from any writer, and the old yes/no answers live on in the new lists."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.urls import reverse

from villages.models import SNAPSHOT_LIMITS, ProfileSnapshot

from .factories import make_snapshot, make_village
from .test_villages import snapshot_data

BEFORE = [("villages", "0005_choice_list_fields")]
AFTER = [("villages", "0006_portal_profile")]


def post_profile(client, village, **fields):
    url = reverse("villages:snapshot_create", args=[village.pk])
    return client.post(url, snapshot_data(**fields))


def error_beside(page, field):
    """The message crispy-forms draws under `field`."""
    marker = f'id="error_1_id_{field}"'
    assert marker in page, f"no message beside {field}"
    return page.split(marker, 1)[1].split("</span>", 1)[0]


def test_wrong_figures_are_told_beside_their_fields_and_nothing_is_saved(
    client, dinas, village_sungaibangkong
):
    client.force_login(dinas)
    response = post_profile(
        client,
        village_sungaibangkong,
        users_pill="101",  # PUS is 100
        families="50",
        families_with_toddler="20",
        members_bkb="21",
        youths="dua puluh",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jumlah peserta KB aktif melebihi jumlah PUS." in error_beside(page, "pus")
    assert "Anggota BKB melebihi jumlah keluarga dengan balita." in error_beside(
        page, "members_bkb"
    )
    assert "Masukkan keseluruhan angka bilangan." in error_beside(page, "youths")
    assert 'value="101"' in page and 'value="dua puluh"' in page  # the input is kept
    assert not ProfileSnapshot.objects.exists()


@pytest.mark.parametrize("rule", SNAPSHOT_LIMITS, ids=lambda rule: rule.name)
def test_each_limit_holds_on_the_form_and_in_the_database(
    client, dinas, village_sungaibangkong, rule
):
    """On the whole: allowed; one above: refused by the form, beside the field to
    correct, and by the database for a write that skips the form."""
    wholes = {"pus": "100", "families": "100", "youths": "100"}
    wholes |= dict.fromkeys(["families_with_toddler", "families_with_teen"], "100")
    wholes["families_with_elderly"] = "100"
    at_the_limit = {**wholes, rule.parts[0]: wholes[rule.whole]}
    client.force_login(dinas)
    assert post_profile(client, village_sungaibangkong, **at_the_limit).status_code == 302

    above = {**at_the_limit, rule.parts[0]: str(int(wholes[rule.whole]) + 1)}
    page = post_profile(client, village_sungaibangkong, month="2024-04", **above)
    assert str(rule.message) in error_beside(page.content.decode(), rule.field_to_correct)

    snapshot = ProfileSnapshot.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfileSnapshot.objects.filter(pk=snapshot.pk).update(**{rule.parts[0]: F(rule.whole) + 1})


def test_the_form_asks_in_the_portals_sections(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    page = client.get(reverse("villages:snapshot_create", args=[village_sungaibangkong.pk]))
    legends = [
        "Pokja dan sumber dana",
        "Pendamping dan regulasi",
        "Program, data dan kegiatan operasional",
        "Penduduk",
        "Anggota poktan",
        "Peserta KB aktif per metode",
        "PUS tidak ber-KB menurut alasan",
    ]
    html = page.content.decode()
    positions = [html.index(f"<legend>{legend}</legend>") for legend in legends]
    assert positions == sorted(positions)
    for item in ["Donasi/hibah masyarakat", "Sekretariat KKB", "Penyusunan laporan"]:
        assert item in html


def test_a_profile_keeps_every_list_it_was_given_in_the_order_of_the_choices(
    village_sungaibangkong,
):
    snapshot = make_snapshot(
        village_sungaibangkong,
        programmes=["rumah_dataku", "bkb", "bkb"],  # in the order ticked, one twice
        data_used=["potensi_desa"],
        operational_activities=["laporan", "perencanaan"],
        funding_sources=["donasi", "csr"],
    )
    snapshot.full_clean()
    snapshot.refresh_from_db()
    assert snapshot.programmes == ["bkb", "rumah_dataku"]
    assert snapshot.operational_activities == ["perencanaan", "laporan"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_the_old_yes_no_answers_become_the_portals_lists_and_back(reference_data):
    village = make_village()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("villages", "ProfileSnapshot")
    answers = dict(bkb_active=True, pikr_active=True, rumah_dataku=True)
    old.objects.create(
        kampung_id=village.pk,
        month=datetime.date(2024, 1, 1),
        pus=100,
        data_used_for_planning=True,
        operational_meetings=True,
        **answers,
    )
    old.objects.create(kampung_id=village.pk, month=datetime.date(2024, 2, 1), pus=100)

    MigrationExecutor(connection).migrate(AFTER)
    january, february = ProfileSnapshot.objects.order_by("month")
    assert january.programmes == ["bkb", "pik_r", "rumah_dataku"]
    assert january.data_used == ["lainnya"]  # data was used; which, the old form never asked
    assert january.operational_activities == ["koordinasi"]
    assert (february.programmes, february.data_used, february.operational_activities) == (
        [],
        [],
        [],
    )

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("villages", "ProfileSnapshot")
    restored = old.objects.get(month=datetime.date(2024, 1, 1))
    assert (restored.bkb_active, restored.pikr_active, restored.bkr_active) == (True, True, False)
    assert restored.data_used_for_planning and restored.operational_meetings


@pytest.fixture
def back_to_the_latest_migrations():
    """A test that walks migrations back leaves every app as the next tests expect it."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_users_on_another_method_count_against_the_pus(village_sungaibangkong):
    """Not counted by the portal, still people: with the seven methods they fit the PUS."""
    snapshot = ProfileSnapshot(kampung=village_sungaibangkong, month=datetime.date(2024, 1, 1))
    snapshot.pus, snapshot.users_pill, snapshot.users_other = 10, 5, 6
    with pytest.raises(ValidationError) as refused:
        snapshot.full_clean()
    assert refused.value.message_dict["pus"] == ["Jumlah peserta KB aktif melebihi jumlah PUS."]
    snapshot.users_other = 5
    snapshot.full_clean()
