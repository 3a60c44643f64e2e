"""The portal's classification, from the rule table in the brief's
reference/klasifikasi.md: every threshold of every indicator (below, on, above),
the rounding of percentages, denominators of 0, each branch of the level rule, and
a village worked by hand."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from villages import classification
from villages.classification import INPUT, OUTPUT, PROCESS, classify, level_for, whole_percent
from villages.models import Level, ProfileSnapshot

from .factories import ALL_INPUT, ALL_OUTPUT, ALL_PROCESS, make_snapshot, make_village

#: A profile that scores 1 everywhere: nothing formed, nothing counted.
NOTHING = dict(
    pokja_formed=False, pokja_members=0, pokja_trained=False, funding_sources=[],
    programmes=[], pkb_assigned=False, regulation_in_place=False, data_used=[],
    operational_activities=[], families=0, youths=0, families_with_toddler=0,
    families_with_teen=0, families_with_elderly=0, pus=0, members_bkb=0, members_bkr=0,
    members_bkl=0, members_uppka=0, members_pikr=0, users_iud=0, users_implant=0,
    users_mow=0, users_mop=0, users_injection=0, users_pill=0, users_condom=0,
    users_other=0, pregnant=0, want_child_soon=0, iat=0, tial=0,
)  # fmt: skip
FUNDS = ["apbn", "apbd", "dana_desa", "donasi", "csr", "swadaya"]
POKTAN = ["bkb", "bkr", "bkl", "uppka", "pik_r", "pelayanan_kb", "kependudukan", "sektor_lain"]
DATA = ["pk", "rutin", "potensi_desa", "sektoral", "lainnya"]
OPERATIONS = ["perencanaan", "koordinasi", "sosialisasi", "monev", "laporan"]


def profile(**fields):
    return ProfileSnapshot(**{**NOTHING, **fields})


def score(key, agencies=0, **fields):
    (found,) = [i for i in classification.indicators(profile(**fields), agencies) if i.key == key]
    return found.score


# -- counted indicators: (value, score) just below, on and above each threshold ----------


@pytest.mark.parametrize(
    "count, expected", [(0, 1), (1, 2), (2, 3), (3, 3), (4, 3), (5, 4), (6, 4)]
)
def test_funding_sources(count, expected):
    assert score("funding", funding_sources=FUNDS[:count]) == expected


@pytest.mark.parametrize(
    "count, expected", [(0, 1), (1, 2), (2, 2), (3, 3), (4, 3), (5, 4), (8, 4)]
)
def test_poktan_present(count, expected):
    assert score("poktan", programmes=POKTAN[:count]) == expected


def test_sarana_count_apart_from_poktan():
    assert score("sarana", programmes=POKTAN) == 1
    assert score("sarana", programmes=["sekretariat"]) == 2
    assert score("sarana", programmes=["rumah_dataku", "sekretariat"]) == 3
    assert score("poktan", programmes=["rumah_dataku", "sekretariat"]) == 1


@pytest.mark.parametrize("count, expected", [(0, 1), (1, 2), (2, 3), (3, 3), (4, 4), (5, 4)])
def test_data_used(count, expected):
    assert score("data", data_used=DATA[:count]) == expected


@pytest.mark.parametrize("count, expected", [(0, 1), (1, 2), (2, 2), (3, 3), (4, 3), (5, 4)])
def test_operational_activities(count, expected):
    assert score("operations", operational_activities=OPERATIONS[:count]) == expected


@pytest.mark.parametrize(
    "agencies, expected", [(0, 1), (1, 2), (3, 2), (4, 3), (6, 3), (7, 4), (12, 4)]
)
def test_cross_sector_agencies(agencies, expected):
    assert score("cross_sector", agencies=agencies) == expected


@pytest.mark.parametrize(
    "formed, members, trained, expected",
    [
        (False, 0, False, 1),
        (False, 9, True, 1),  # members of a Pokja not formed count for nothing
        (True, 0, False, 2),
        (True, 1, False, 3),
        (True, 0, True, 3),
        (True, 1, True, 4),
    ],
)
def test_pokja(formed, members, trained, expected):
    fields = dict(pokja_formed=formed, pokja_members=members, pokja_trained=trained)
    assert score("pokja", **fields) == expected


@pytest.mark.parametrize(
    "pkb, regulation, expected",
    [(False, False, 1), (True, False, 2), (False, True, 2), (True, True, 3)],
)
def test_pkb_and_regulation(pkb, regulation, expected):
    assert score("pkb_regulation", pkb_assigned=pkb, regulation_in_place=regulation) == expected


# -- percentages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "users, expected",
    [(0, 1), (29, 1), (30, 2), (40, 2), (41, 3), (50, 3), (51, 4), (100, 4)],
)
def test_cpr_per_100_pus(users, expected):
    assert score("cpr", pus=100, users_pill=users) == expected


def test_cpr_rounds_half_away_from_zero_before_scoring():
    # 59 / 200 = 29.5 % → 30 → score 2; 58 / 200 = 29 % → score 1
    assert score("cpr", pus=200, users_pill=59) == 2
    assert score("cpr", pus=200, users_pill=58) == 1
    assert whole_percent(1, 8) == 13  # 12.5 → 13, not the banker's 12
    assert whole_percent(5, 200) == 3  # 2.5 → 3


def test_users_outside_the_portals_seven_methods_are_not_counted():
    """The portal asks seven methods; "metode lain" is the dinas's own figure."""
    assert score("cpr", pus=100, users_pill=29, users_other=60) == 1  # 29 %, not 89 %
    assert score("mkjp", pus=100, users_iud=20, users_pill=80, users_other=50) == 2  # 20 %
    snapshot = profile(pus=100, users_pill=29, users_other=60)
    assert (snapshot.active_users, snapshot.cpr) == (29, 29.0)  # the page's CPR agrees


def test_no_pus_is_no_data_and_scores_1():
    assert score("cpr", pus=0) == 1
    assert score("unmet_need", pus=0) == 1


@pytest.mark.parametrize(
    "long_acting, expected",
    [(19, 1), (20, 2), (22, 2), (23, 3), (24, 3), (25, 4)],
)
def test_mkjp_share_of_users(long_acting, expected):
    fields = dict(pus=500, users_iud=long_acting, users_pill=100 - long_acting)
    assert score("mkjp", **fields) == expected


def test_mkjp_counts_iud_mow_mop_and_implant_only():
    fields = dict(pus=500, users_iud=10, users_mow=5, users_mop=5, users_implant=5, users_condom=75)
    assert score("mkjp", **fields) == 4  # 25 of 100
    assert score("mkjp", pus=500) == 1  # no users: no data


@pytest.mark.parametrize(
    "unmet, expected",
    [(14, 1), (13, 1), (12, 2), (10, 2), (9, 3), (7, 3), (6, 4), (0, 4)],
)
def test_unmet_need_lower_is_better(unmet, expected):
    assert score("unmet_need", pus=100, iat=unmet // 2, tial=unmet - unmet // 2) == expected


def test_unmet_need_counts_iat_and_tial_not_pregnant_or_wanting_soon():
    assert score("unmet_need", pus=100, pregnant=20, want_child_soon=20) == 4


def test_participation_rounds_each_share_and_the_mean():
    # 1/3 = 33 % (rounded), 2/3 = 67 %: mean of 33, 67, 0, 0, 0 = 20 → score 2
    snapshot = profile(families_with_toddler=3, members_bkb=1, families_with_teen=3, members_bkr=2)
    assert classification.participation(snapshot) == 20
    assert score("participation", families_with_toddler=0, members_bkb=0) == 1  # 0 where no base


def test_participation_thresholds_on_the_mean():
    full = dict(
        families=100, youths=100, families_with_toddler=100, families_with_teen=100,
        families_with_elderly=100,
    )  # fmt: skip
    for share, expected in [(9, 1), (10, 2), (20, 2), (21, 3), (30, 3), (31, 4)]:
        members = dict.fromkeys(("members_bkb", "members_bkr", "members_bkl"), share)
        members |= {"members_uppka": share, "members_pikr": share}
        assert score("participation", **full, **members) == expected, share


# -- indices and the level -----------------------------------------------------------------


@pytest.mark.parametrize(
    "passing, level",
    [
        (set(), Level.DASAR),
        ({INPUT}, Level.DASAR),
        ({PROCESS}, Level.DASAR),
        ({OUTPUT}, Level.DASAR),
        ({INPUT, PROCESS}, Level.BERKEMBANG),
        ({INPUT, OUTPUT}, Level.MANDIRI),
        ({PROCESS, OUTPUT}, Level.MANDIRI),
        ({INPUT, PROCESS, OUTPUT}, Level.BERKELANJUTAN),
    ],
    ids=lambda v: "+".join(sorted(v)) if isinstance(v, set) else str(v),
)
def test_each_branch_of_the_level_rule(passing, level):
    assert level_for(passing) == level


def test_an_index_passes_at_three_not_below():
    # input: pokja 4, funding 3, poktan 2, sarana 2, pkb+regulation 3 → 14 / 5 = 2.80
    nearly = dict(
        pokja_formed=True, pokja_members=5, pokja_trained=True, funding_sources=FUNDS[:2],
        programmes=["bkb", "sekretariat"], pkb_assigned=True, regulation_in_place=True,
    )  # fmt: skip
    assert classify(profile(**nearly)).indices[INPUT] == Decimal("2.80")
    # one poktan more: poktan still 2 (two of them) … three poktan: 3 → 15 / 5 = 3.00
    enough = {**nearly, "programmes": ["bkb", "bkr", "bkl", "sekretariat"]}
    assert classify(profile(**enough)).indices[INPUT] == Decimal("3.00")
    assert INPUT in classify(profile(**enough)).passing()


def test_indices_keep_two_decimals():
    # process: data 2, operations 1, cross-sector 1 → 4 / 3 = 1.333… → 1.33
    result = classify(profile(data_used=["pk"]))
    assert result.indices[PROCESS] == Decimal("1.33")
    # 5 / 3 = 1.666… → 1.67
    assert classify(profile(data_used=["pk", "rutin"])).indices[PROCESS] == Decimal("1.67")


def test_a_village_worked_by_hand():
    """Kampung KB Bangkong Berseri, March 2024, with 2 agencies in its activities.

    input:   Pokja formed, 12 members, trained → 4; APBD + Dana Desa → 3;
             BKB, BKR, BKL, UPPKA → 4 poktan → 3; Rumah DataKu → 1 sarana → 2;
             PKB yes, regulation no → 2.            (4+3+3+2+2)/5 = 2.80 ✗
    process: PK, data rutin, potensi desa → 3 → 3; four activities → 3;
             2 agencies → 2.                        (3+3+2)/3 = 2.67 ✗
    output:  participation: BKB 60/200 = 30 %, BKR 45/150 = 30 %, BKL 20/100 = 20 %,
             UPPKA 50/500 = 10 %, PIK-R 40/200 = 20 % → mean 22 % → 3;
             CPR 330/600 = 55 % → 4; MKJP 90/330 = 27.27 → 27 % → 4;
             unmet (IAT 24 + TIAL 18)/600 = 7 % → 3. (3+4+4+3)/4 = 3.50 ✓
    Only output passes: Dasar.
    """
    village = profile(
        pokja_formed=True, pokja_members=12, pokja_trained=True,
        funding_sources=["apbd", "dana_desa"],
        programmes=["bkb", "bkr", "bkl", "uppka", "rumah_dataku"],
        pkb_assigned=True, regulation_in_place=False,
        data_used=["pk", "rutin", "potensi_desa"],
        operational_activities=["perencanaan", "koordinasi", "sosialisasi", "laporan"],
        families=500, youths=200, families_with_toddler=200, families_with_teen=150,
        families_with_elderly=100, pus=600,
        members_bkb=60, members_bkr=45, members_bkl=20, members_uppka=50, members_pikr=40,
        users_iud=40, users_implant=50, users_injection=150, users_pill=70, users_condom=20,
        iat=24, tial=18,
    )  # fmt: skip
    result = classify(village, agencies=2)
    assert [(i.key, i.score) for i in result.indicators] == [
        ("pokja", 4), ("funding", 3), ("poktan", 3), ("sarana", 2), ("pkb_regulation", 2),
        ("data", 3), ("operations", 3), ("cross_sector", 2),
        ("participation", 3), ("cpr", 4), ("mkjp", 4), ("unmet_need", 3),
    ]  # fmt: skip
    assert result.indices == {
        INPUT: Decimal("2.80"),
        PROCESS: Decimal("2.67"),
        OUTPUT: Decimal("3.50"),
    }
    assert result.level == Level.DASAR
    shown = {i.key: i.shown for i in result.indicators}
    assert (shown["participation"], shown["cpr"], shown["mkjp"]) == ("22%", "55%", "27%")
    raise_by = {i.key: str(i.raise_by) for i in result.indicators}
    assert raise_by["funding"] == "tambah 3 sumber dana → skor 4"
    assert raise_by["sarana"] == "tambah 1 sarana → skor 3"
    assert raise_by["cross_sector"] == "libatkan 2 OPD lagi dalam kegiatan → skor 3"
    assert raise_by["unmet_need"] == "turunkan ke 6% → skor 4"
    assert raise_by["cpr"] == ""  # at the best score

    # the cheapest way up: input lacks 1 point (14 of 15), process 1 (8 of 9); input
    # with the passing output reaches Mandiri for that 1 point
    way_up = result.way_up()
    assert (way_up.level, [(str(label), points) for label, points, _ in way_up.steps]) == (
        Level.MANDIRI,
        [("Input", 1)],
    )
    assert "Sarana (Sekretariat, Rumah DataKu): tambah 1 sarana → skor 3" in way_up.steps[0][2]

    # a regulation (→ 3) and a second sarana (→ 3): input (4+3+3+3+3)/5 = 3.20 passes
    lifted = profile(
        **{
            **{f.name: getattr(village, f.name) for f in ProfileSnapshot._meta.concrete_fields
               if f.name in NOTHING},
            "regulation_in_place": True,
            "programmes": [*village.programmes, "sekretariat"],
        }
    )  # fmt: skip
    assert classify(lifted, agencies=2).level == Level.MANDIRI


def test_no_profile_is_dasar_with_nothing_to_show():
    result = classify(None)
    assert (result.level, result.indicators, result.indices) == (Level.DASAR, [], {})
    assert result.way_up() is None


def test_the_way_up_prefers_the_higher_level_at_the_same_cost():
    """Berkembang with output 4 points short: Mandiri and Berkelanjutan both need
    those 4 points, and passing all three is Berkelanjutan."""
    organised = dict(
        pokja_formed=True, pokja_members=5, pokja_trained=True, funding_sources=FUNDS[:2],
        programmes=[*POKTAN[:5], "rumah_dataku"], pkb_assigned=True, regulation_in_place=True,
        data_used=DATA[:4], operational_activities=OPERATIONS,
        pus=100, users_pill=41, iat=4, tial=4,
    )  # fmt: skip
    result = classify(profile(**organised))
    assert result.level == Level.BERKEMBANG
    assert result.indices[OUTPUT] == Decimal("2.00")  # participation 1, CPR 3, MKJP 1, unmet 3
    way_up = result.way_up()
    assert (way_up.level, [(str(label), n) for label, n, _ in way_up.steps]) == (
        Level.BERKELANJUTAN,
        [("Output", 4)],
    )


def test_at_the_top_there_is_no_way_up():
    top = dict(
        pokja_formed=True, pokja_members=5, pokja_trained=True, funding_sources=FUNDS[:2],
        programmes=[*POKTAN[:5], "rumah_dataku"], pkb_assigned=True, regulation_in_place=True,
        data_used=DATA[:4], operational_activities=OPERATIONS,
        families=100, youths=100, families_with_toddler=100, families_with_teen=100,
        families_with_elderly=100, members_bkb=40, members_bkr=40, members_bkl=40,
        members_uppka=40, members_pikr=40, pus=100, users_pill=30, users_iud=30, iat=3,
    )  # fmt: skip
    result = classify(profile(**top))
    assert result.level == Level.BERKELANJUTAN
    assert result.way_up() is None


# -- the demo, recomputed from the rule table, not through the app --------------------------


def _portal_level(s, agencies):
    """The level from klasifikasi.md, written out again on purpose."""

    def pct(part, whole):
        return (
            int(Decimal(100 * part / whole).quantize(Decimal(1), "ROUND_HALF_UP"))
            if whole
            else None
        )

    def by(value, steps):
        return 1 if value is None else 1 + sum(value >= step for step in steps)

    users = s.users_iud + s.users_implant + s.users_mow + s.users_mop + s.users_injection
    users += s.users_pill + s.users_condom  # the portal's seven methods: no "other"
    poktan = len(set(s.programmes) - {"sekretariat", "rumah_dataku"})
    sarana = len(set(s.programmes) & {"sekretariat", "rumah_dataku"})
    pokja = (
        1
        if not s.pokja_formed
        else 2
        + ((s.pokja_members > 0) or s.pokja_trained)
        + ((s.pokja_members > 0) and s.pokja_trained)
    )
    shares = [
        pct(s.members_bkb, s.families_with_toddler) or 0,
        pct(s.members_bkr, s.families_with_teen) or 0,
        pct(s.members_bkl, s.families_with_elderly) or 0,
        pct(s.members_uppka, s.families) or 0,
        pct(s.members_pikr, s.youths) or 0,
    ]
    mean_share = int(Decimal(sum(shares) / 5).quantize(Decimal(1), "ROUND_HALF_UP"))
    unmet = pct(s.iat + s.tial, s.pus)
    unmet_score = 1 if unmet is None else 1 + (unmet <= 12) + (unmet <= 9) + (unmet <= 6)
    long_acting = s.users_iud + s.users_implant + s.users_mow + s.users_mop
    inputs = [
        pokja, by(len(s.funding_sources), (1, 2, 5)), by(poktan, (1, 3, 5)),
        by(sarana, (1, 2)), 1 + s.pkb_assigned + s.regulation_in_place,
    ]  # fmt: skip
    process = [
        by(len(s.data_used), (1, 2, 4)), by(len(s.operational_activities), (1, 3, 5)),
        by(agencies, (1, 4, 7)),
    ]  # fmt: skip
    output = [
        by(mean_share, (10, 21, 31)), by(pct(users, s.pus), (30, 41, 51)),
        by(pct(long_acting, users), (20, 23, 25)), unmet_score,
    ]  # fmt: skip
    passes = [round(sum(x) / len(x), 2) >= 3 for x in (inputs, process, output)]
    if sum(passes) < 2:
        return "dasar"
    if passes == [True, True, False]:
        return "berkembang"
    return "berkelanjutan" if all(passes) else "mandiri"


# -- levels month by month ------------------------------------------------------------------


def test_levels_per_month_count_each_months_profile(client, dinas, django_assert_max_num_queries):
    """Three villages of Pontianak Kota over a year: the page counts each month's
    profile by the rule, live, and says how many had none."""
    rising, steady, late = (make_village(f"61.71.05.100{n}") for n in (1, 2, 3))
    january, february = datetime.date(2024, 1, 1), datetime.date(2024, 2, 1)
    make_snapshot(rising, january, **ALL_INPUT, **ALL_PROCESS)  # Berkembang
    make_snapshot(rising, february, **ALL_INPUT, **ALL_PROCESS, **ALL_OUTPUT)  # Berkelanjutan
    make_snapshot(steady, january, **ALL_INPUT, **ALL_OUTPUT)  # Mandiri
    make_snapshot(steady, february, **ALL_INPUT, **ALL_OUTPUT)
    make_snapshot(late, february)  # Dasar
    make_snapshot(make_village("35.75.01.1001"), january)  # Pasuruan: not this kecamatan
    client.force_login(dinas)
    # the session, the user, cities, districts, the kecamatan's villages counted, profiles
    with django_assert_max_num_queries(8):
        response = client.get(
            reverse("villages:levels"), {"mulai": "2024-01", "kecamatan": "61.71.05"}
        )
    rows = {month: (counts, missing) for month, counts, missing in response.context["rows"]}
    assert rows[january] == ([0, 1, 1, 0], 1)  # Dasar, Berkembang, Mandiri, Berkelanjutan
    assert rows[february] == ([1, 0, 1, 1], 0)
    assert rows[datetime.date(2024, 3, 1)] == ([0, 0, 0, 0], 3)
    chart = response.context["chart"]
    assert chart["labels"][:2] == ["01/2024", "02/2024"]
    assert [d["data"][1] for d in chart["datasets"]] == [1, 0, 1, 1]
    assert chart["suggestedMax"] == 3


def test_levels_per_month_start_twelve_months_back_by_default(client, dinas):
    client.force_login(dinas)
    response = client.get(reverse("villages:levels"), {"mulai": "bukan-bulan"})
    months = [month for month, _counts, _missing in response.context["rows"]]
    assert len(months) == 12 and months[-1] == timezone.localdate().replace(day=1)
