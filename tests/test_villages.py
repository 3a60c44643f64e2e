"""Villages: validation, constraints, classification, pages, import and export."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import PositiveIntegerField
from django.urls import reverse

from villages.forms import ManagerForm, PersonForm, SnapshotForm
from villages.models import (
    Agency,
    AgencyOffice,
    City,
    KampungKB,
    Level,
    Manager,
    Pokja,
    PokjaMember,
    ProfileSnapshot,
)
from villages.validators import normalize_phone, validate_nik

from .conftest import SIGNED_IN
from .factories import (
    ALL_INPUT,
    ALL_PROCESS,
    make_activity,
    make_person,
    make_photo,
    make_snapshot,
    make_village,
)

pytestmark = pytest.mark.django_db

# -- NIK and phone ------------------------------------------------------------------


@pytest.mark.parametrize(
    "nik",
    [
        "3575014101900001",  # woman born 1 January 1990 in Kota Pasuruan
        "6171053112850123",  # man born 31 December 1985 in Kota Pontianak
    ],
)
def test_valid_nik_is_accepted(nik):
    validate_nik(nik)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("357501410190001", "nik_length"),  # 15 digits
        ("35750141019000a1", "nik_length"),
        ("9975014101900001", "nik_province"),  # 99 is no province
        ("3575013201900001", "nik_day"),  # day 32
        ("3575017201900001", "nik_day"),  # day 72
        ("3575014113900001", "nik_month"),  # month 13
        ("3575014101900000", "nik_serial"),  # serial 0000
    ],
)
def test_invalid_nik_is_refused_with_its_reason(nik, code):
    with pytest.raises(ValidationError) as error:
        validate_nik(nik)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("0812-3456-7890", "081234567890"),
        ("+62 812 3456 7890", "081234567890"),
        ("6281234567890", "081234567890"),
        ("", ""),
    ],
)
def test_phone_numbers_are_written_one_way(raw, normal):
    assert normalize_phone(raw) == normal


def test_nonsense_phone_is_refused():
    with pytest.raises(ValidationError):
        normalize_phone("12345")


# -- people --------------------------------------------------------------------------


def person_data(**overrides):
    data = {
        "name": "Siti Aminah",
        "sex": "P",
        "nik": "",
        "phone": "081234567890",
        "position": "Kader",
        "city": 0,
        "kelurahan": "",
    }
    return {**data, **overrides}


def test_same_nik_twice_is_refused(dinas):
    make_person(nik="6171053112850123")
    city = dinas.profile.cities.get()
    form = PersonForm(person_data(nik="6171053112850123", city=city.pk), user=dinas)
    assert not form.is_valid()
    assert "nik" in form.errors


def test_same_name_in_same_kelurahan_warns_until_confirmed(dinas, village_sungaibangkong):
    kelurahan = village_sungaibangkong.kelurahan
    make_person(name="Siti Aminah", kelurahan=kelurahan)
    data = person_data(city=kelurahan.district.city_id, kelurahan=kelurahan.pk)
    form = PersonForm(data, user=dinas)
    assert not form.is_valid()
    assert "Sudah ada orang bernama Siti Aminah" in str(form.errors["name"])
    confirmed = PersonForm({**data, "confirm_duplicate": "on"}, user=dinas)
    assert confirmed.is_valid(), confirmed.errors


def test_nik_is_masked_for_everyone_but_dinas(client, dinas, admin_user):
    person = make_person(nik="6171053112850123")
    assert person.masked_nik == "6171••••••••0123"
    client.force_login(dinas)
    assert "6171053112850123" in client.get(person.get_absolute_url()).content.decode()


# -- managers ------------------------------------------------------------------------


def test_second_current_ketua_is_refused(dinas, village_sungaibangkong):
    start = datetime.date(2024, 1, 1)
    Manager.objects.create(
        kampung=village_sungaibangkong, person=make_person(), role="ketua", start_date=start
    )
    form = ManagerForm(
        {"person": make_person().pk, "role": "ketua", "start_date": "2024-02-01"},
        user=dinas,
        kampung=village_sungaibangkong,
    )
    assert not form.is_valid()
    assert "sudah memiliki ketua" in str(form.errors)
    with pytest.raises(IntegrityError), transaction.atomic():
        Manager.objects.create(
            kampung=village_sungaibangkong, person=make_person(), role="ketua", start_date=start
        )


def test_a_past_ketua_does_not_block_the_next(village_sungaibangkong):
    Manager.objects.create(
        kampung=village_sungaibangkong,
        person=make_person(),
        role="ketua",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    Manager.objects.create(
        kampung=village_sungaibangkong,
        person=make_person(),
        role="ketua",
        start_date=datetime.date(2024, 1, 1),
    )
    assert village_sungaibangkong.managers.count() == 2


# -- snapshots and figures -------------------------------------------------------------


def test_figures_follow_their_definitions(village_sungaibangkong):
    s = make_snapshot(
        village_sungaibangkong,
        pus=200,
        users_iud=20,
        users_implant=10,
        users_injection=60,
        users_pill=30,
        iat=10,
        tial=14,
    )
    assert s.active_users == 120
    assert s.cpr == 60.0  # 120 / 200
    assert s.mkjp_share == 25.0  # 30 / 120
    assert s.unmet_need == 12.0  # 24 / 200


def test_figures_are_empty_without_pus(village_sungaibangkong):
    s = make_snapshot(village_sungaibangkong, pus=0)
    assert (s.cpr, s.mkjp_share, s.unmet_need) == (None, None, None)


def snapshot_data(**overrides):
    """A month's profile as the form posts it: every count 0, PUS 100."""
    counts = [f.name for f in ProfileSnapshot._meta.fields if isinstance(f, PositiveIntegerField)]
    return {"month": "2024-03", **dict.fromkeys(counts, "0"), "pus": "100", **overrides}


def test_more_users_than_pus_is_refused(village_sungaibangkong):
    form = SnapshotForm(snapshot_data(users_pill="101"), kampung=village_sungaibangkong)
    assert not form.is_valid()
    assert "melebihi jumlah PUS" in str(form.errors)


def test_negative_count_is_refused(village_sungaibangkong):
    form = SnapshotForm(snapshot_data(pus="-1"), kampung=village_sungaibangkong)
    assert not form.is_valid()
    assert "pus" in form.errors


def test_one_snapshot_per_village_per_month(village_sungaibangkong):
    make_snapshot(village_sungaibangkong, month=datetime.date(2024, 3, 1))
    form = SnapshotForm(snapshot_data(), kampung=village_sungaibangkong)
    assert not form.is_valid()
    assert "sudah ada" in str(form.errors)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_snapshot(village_sungaibangkong, month=datetime.date(2024, 3, 1))


def test_snapshot_month_must_be_the_first_day(village_sungaibangkong):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_snapshot(village_sungaibangkong, month=datetime.date(2024, 3, 5))


def test_saving_a_snapshot_updates_the_stored_level(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    profile = {**ALL_INPUT, **ALL_PROCESS}
    data = snapshot_data(**{k: "on" if v is True else v for k, v in profile.items()})
    response = client.post(
        reverse("villages:snapshot_create", args=[village_sungaibangkong.pk]), data
    )
    assert response.status_code == 302
    village_sungaibangkong.refresh_from_db()
    assert village_sungaibangkong.computed_level == Level.BERKEMBANG


def test_override_needs_a_reason_and_is_kept_in_history(client, dinas, village_sungaibangkong):
    client.force_login(dinas)
    url = reverse("villages:override", args=[village_sungaibangkong.pk])
    response = client.post(url, {"level": "mandiri", "reason": "  "})
    assert response.status_code == 200  # the form again, with its input and the error
    form = response.content.decode()
    assert "Tetapkan klasifikasi" in form
    assert "Tuliskan alasan penetapan klasifikasi." in form
    assert '<option value="mandiri" selected>' in form
    village_sungaibangkong.refresh_from_db()
    assert village_sungaibangkong.level_override == ""
    client.post(url, {"level": "mandiri", "reason": "Hasil verifikasi lapangan BKKBN"})
    village_sungaibangkong.refresh_from_db()
    assert village_sungaibangkong.level == Level.MANDIRI
    assert village_sungaibangkong.override_by == dinas
    page = client.get(village_sungaibangkong.get_absolute_url()).content.decode()
    assert "Hasil verifikasi lapangan BKKBN" in page
    assert "Klasifikasi ditetapkan" in page  # the history row names the changed field


# -- pages -----------------------------------------------------------------------------


def test_village_form_keeps_input_and_explains_errors(client, dinas):
    client.force_login(dinas)
    response = client.post(reverse("villages:create"), {"name": "Kampung KB Baru", "kelurahan": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kampung KB Baru"' in page
    assert "Bidang ini tidak boleh kosong" in page
    assert not KampungKB.objects.filter(name="Kampung KB Baru").exists()


def test_dinas_cannot_pick_a_kelurahan_of_another_city(client, dinas):
    client.force_login(dinas)
    karangketug = KampungKB._meta.get_field("kelurahan").related_model.objects.get(
        code="35.75.01.1001"
    )
    response = client.post(
        reverse("villages:create"),
        {"name": "Kampung KB Luar", "kelurahan": karangketug.pk, "status": "aktif"},
    )
    assert "kelurahan" in response.context["form"].errors


def test_village_list_filters_by_kecamatan_and_level(client, dinas):
    make_village("61.71.05.1001", name="Kampung Kota", computed_level=Level.MANDIRI)
    make_village("61.71.03.1004", name="Kampung Barat", computed_level=Level.DASAR)
    client.force_login(dinas)
    page = client.get(reverse("villages:list"), {"kecamatan": "61.71.05"}).content.decode()
    assert "Kampung Kota" in page and "Kampung Barat" not in page
    page = client.get(reverse("villages:list"), {"level": "dasar"}).content.decode()
    assert "Kampung Barat" in page and "Kampung Kota" not in page


def test_lurah_sees_only_their_village_in_the_list(
    client, lurah_sungaibangkong, village_sungaibangkong, village_karangketug
):
    client.force_login(lurah_sungaibangkong)
    page = client.get(reverse("villages:list")).content.decode()
    assert village_sungaibangkong.name in page
    assert village_karangketug.name not in page


def test_lurah_village_page_has_no_edit_controls(
    client, lurah_sungaibangkong, village_sungaibangkong
):
    client.force_login(lurah_sungaibangkong)
    page = client.get(village_sungaibangkong.get_absolute_url()).content.decode()
    assert village_sungaibangkong.name in page
    assert reverse("villages:edit", args=[village_sungaibangkong.pk]) not in page


def test_pokja_page_shows_members_by_agency_and_missing_agencies(
    client, dinas, village_sungaibangkong
):
    kelurahan = village_sungaibangkong.kelurahan
    pokja = Pokja.objects.create(
        level="kelurahan",
        city=kelurahan.district.city,
        district=kelurahan.district,
        kelurahan=kelurahan,
    )
    PokjaMember.objects.create(
        pokja=pokja,
        person=make_person(name="Dokter Rina"),
        agency_id=_agency("DINKES"),
        term_start=datetime.date(2024, 1, 1),
    )
    client.force_login(dinas)
    response = client.get(pokja.get_absolute_url())
    seated = [m.agency.abbreviation for m in response.context["members"]]
    missing = [a.abbreviation for a in response.context["missing_agencies"]]
    assert seated == ["DINKES"]
    assert "DINKES" not in missing and "DISDIK" in missing

    # Pasuruan's dinas leads the programme there: not one Pontianak lacks
    pasuruan = City.objects.get(code="35.75")
    AgencyOffice.objects.create(city=pasuruan, agency_id=_agency("DP3AKB"), leads_programme=True)
    response = client.get(pokja.get_absolute_url())
    missing = [a.abbreviation for a in response.context["missing_agencies"]]
    assert "DP3AKB" not in missing and "DP2KBP3A" in missing


def _agency(abbreviation):
    return Agency.objects.get(abbreviation=abbreviation).pk


def test_person_search_returns_matching_options(client, dinas):
    make_person(name="Yuniarlita")
    make_person(name="Musa")
    client.force_login(dinas)
    page = client.get(reverse("villages:person_search"), {"q": "yuni"}).content.decode()
    assert "Yuniarlita" in page and "Musa" not in page


# -- query counts --------------------------------------------------------------------


def grow(villages, snapshots_each=3):
    for _ in range(villages):
        village = make_village("61.71.05.1002")
        for month in range(1, snapshots_each + 1):
            make_snapshot(village, month=datetime.date(2024, month, 1))
        Manager.objects.create(
            kampung=village,
            person=make_person(),
            role="sekretaris",
            start_date=datetime.date(2024, 1, 1),
        )


# The list page: what every signed-in page reads, the kecamatan of the user's city for
# the filter, the count at each level, the count of rows, the page of villages.
LIST_QUERIES = SIGNED_IN + 4
# The village page: what every signed-in page reads, the village with its places and
# its agencies counted, its snapshots, managers, Pokja members, visits, activities,
# open needs, history, and the trainings of its people.
DETAIL_QUERIES = SIGNED_IN + 9


@pytest.mark.parametrize("size", [3, 30])
def test_village_list_queries_do_not_grow(client, dinas, django_assert_num_queries, size):
    grow(size)
    client.force_login(dinas)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("villages:list"), {"status": "aktif"}).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_village_page_queries_do_not_grow(
    client, dinas, village_sungaibangkong, django_assert_max_num_queries, size
):
    for month in range(1, size + 1):
        make_snapshot(
            village_sungaibangkong, month=datetime.date(2020 + month // 12, month % 12 + 1, 1)
        )
        Manager.objects.create(
            kampung=village_sungaibangkong,
            person=make_person(),
            role="seksi_agama",
            start_date=datetime.date(2024, 1, 1),
        )
        make_photo(make_activity(village_sungaibangkong, agencies=["DINKES", "DISDIK"]))
    client.force_login(dinas)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(village_sungaibangkong.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_pokja_page_queries_do_not_grow(
    client, dinas, village_sungaibangkong, django_assert_max_num_queries, size
):
    kelurahan = village_sungaibangkong.kelurahan
    pokja = Pokja.objects.create(
        level="kelurahan",
        city=kelurahan.district.city,
        district=kelurahan.district,
        kelurahan=kelurahan,
    )
    for _ in range(size):
        PokjaMember.objects.create(
            pokja=pokja,
            person=make_person(),
            agency_id=_agency("PKK"),
            term_start=datetime.date(2024, 1, 1),
        )
    client.force_login(dinas)
    # what every signed-in page reads, the Pokja, its members, the agencies not seated
    with django_assert_max_num_queries(SIGNED_IN + 3):
        assert client.get(pokja.get_absolute_url()).status_code == 200


# -- Excel -------------------------------------------------------------------------------


def test_import_refuses_a_file_that_is_not_excel(client, dinas):
    client.force_login(dinas)
    response = client.post(
        reverse("villages:import", args=["orang"]),
        {"file": SimpleUploadedFile("data.xlsx", b"not a spreadsheet")},
    )
    assert "tidak dapat dibaca" in str(response.context["form"].errors["file"])


def test_profile_snapshot_str_names_the_month(village_sungaibangkong):
    snapshot = make_snapshot(village_sungaibangkong, month=datetime.date(2024, 3, 1))
    assert str(snapshot).endswith("03/2024")
    assert ProfileSnapshot.objects.count() == 1


def test_large_ids_stay_plain_in_form_values(client, dinas):
    make_person(name="Yuniarlita", pk=12345)
    client.force_login(dinas)
    page = client.get(reverse("villages:person_search"), {"q": "yuni"}).content.decode()
    assert 'value="12345"' in page


def test_a_snapshot_can_be_corrected_and_the_level_follows(client, dinas, village_sungaibangkong):
    snapshot = make_snapshot(village_sungaibangkong, month=datetime.date(2024, 3, 1))
    client.force_login(dinas)
    profile = {**ALL_INPUT, **ALL_PROCESS}
    data = snapshot_data(**{k: "on" if v is True else v for k, v in profile.items()})
    url = reverse("villages:snapshot_edit", args=[village_sungaibangkong.pk, snapshot.pk])
    assert client.post(url, data).status_code == 302
    village_sungaibangkong.refresh_from_db()
    assert village_sungaibangkong.computed_level == Level.BERKEMBANG
    assert ProfileSnapshot.objects.count() == 1


def test_a_change_of_the_location_criteria_shows_in_the_history(
    client, dinas, admin_client, village_sungaibangkong
):
    from .forms import submit

    client.force_login(dinas)
    url = reverse("villages:edit", args=[village_sungaibangkong.pk])
    submit(client, url, location_criteria=["kumuh", "pesisir"])
    submit(client, url, location_criteria=["pesisir", "kumuh", "padat"])  # a new order
    for reader in (client, admin_client):
        response = reader.get(village_sungaibangkong.get_absolute_url())
        assert response.status_code == 200
        assert "<del>Kumuh, Pesisir/nelayan</del>" in response.content.decode()  # labels
