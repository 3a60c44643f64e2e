"""Demo data for the villages app: the Kampung KB of the two seed articles.

Pontianak (2018): six Kampung KB, one in each kecamatan, with their managers.
Pasuruan (2020): a Kampung KB in each of the four kecamatan, a city Pokja of
twelve agency heads and kelurahan Pokja of 114 members in all.
Names are invented; codes are the real Kemendagri ones.
"""

import datetime
import io
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from kampungkb.months import add_months, months_from

from . import services
from .models import (
    POKTAN_MEMBER_FIELDS,
    Agency,
    AgencyOffice,
    City,
    DataSource,
    FamilyFunction,
    FundingSource,
    KampungKB,
    Kelurahan,
    Manager,
    OperationalActivity,
    Person,
    Pokja,
    PokjaMember,
    ProfileSnapshot,
    Programme,
    RegulationIssuer,
    TargetGroup,
)

FIRST_NAMES = {
    "L": [
        "Ahmad",
        "Budi",
        "Dedi",
        "Eko",
        "Fajar",
        "Hendra",
        "Irfan",
        "Joko",
        "Muhammad",
        "Rudi",
        "Slamet",
        "Syarif",
        "Teguh",
        "Wahyu",
        "Yusuf",
        "Agus",
        "Bambang",
        "Darmawan",
        "Hasan",
        "Rahmat",
    ],
    "P": [
        "Ani",
        "Dewi",
        "Fitri",
        "Kartini",
        "Lestari",
        "Nurhayati",
        "Rina",
        "Siti",
        "Sri",
        "Tuti",
        "Wulan",
        "Yuniar",
        "Aisyah",
        "Endang",
        "Maryam",
        "Ratna",
        "Suryani",
        "Utami",
        "Wati",
        "Zubaidah",
    ],
}
FAMILY_NAMES = [
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Santoso",
    "Kurniawan",
    "Setiawan",
    "Pratama",
    "Rahayu",
    "Lubis",
    "Nasution",
    "Syahputra",
    "Hartono",
    "Utomo",
    "Susanti",
    "Handayani",
    "Purnomo",
    "Firmansyah",
    "Ramadhan",
    "Anwar",
    "Hakim",
]

#: (kelurahan code, name of the Kampung KB, launch date, managers)
PONTIANAK_VILLAGES = [
    ("61.71.03.1004", "Kampung KB Sungai Beliung Sejahtera", datetime.date(2016, 11, 20), 25),
    ("61.71.05.1001", "Kampung KB Bangkong Berseri", datetime.date(2017, 3, 14), 25),
    ("61.71.01.1003", "Kampung KB Benua Melayu Harmoni", datetime.date(2017, 5, 2), 14),
    ("61.71.02.1007", "Kampung KB Tambelan Sampit", datetime.date(2017, 8, 17), 14),
    ("61.71.04.1004", "Kampung KB Batu Layang Bersatu", datetime.date(2017, 10, 9), 14),
    ("61.71.06.1002", "Kampung KB Bansir Mandiri", datetime.date(2018, 1, 22), 14),
]
PASURUAN_VILLAGES = [
    ("35.75.01.1001", "Kampung KB Karangketug Berseri", datetime.date(2017, 6, 12)),
    ("35.75.02.1003", "Kampung KB Tembokrejo Sehat", datetime.date(2018, 2, 8)),
    ("35.75.03.1006", "Kampung KB Krampyangan Bahagia", datetime.date(2018, 7, 30)),
    ("35.75.04.1005", "Kampung KB Kebonsari Sejahtera", datetime.date(2019, 4, 25)),
]
#: Members of each Pasuruan kelurahan Pokja: 29 + 29 + 28 + 28 = 114.
PASURUAN_POKJA_SIZES = [29, 29, 28, 28]
#: The twelve agencies whose heads sit on the Pasuruan city Pokja.
PASURUAN_CITY_POKJA = [
    "BAPELITBANGDA",
    "DINKES",
    "DISDIK",
    "DINSOS",
    "DISDUKCAPIL",
    "DPUPR",
    "DISPERKIM",
    "DINKOPUKM",
    "DISNAKER",
    "DKP",
    "DLH",
    "KEMENAG",
]
KELURAHAN_POKJA_AGENCIES = [
    "KELURAHAN",
    "PKK",
    "DINKES",
    "DISDIK",
    "KEMENAG",
    "DINSOS",
    "DP3AKB",
    "DISDUKCAPIL",
]
MANAGER_ROLES = [
    Manager.Role.KETUA,
    Manager.Role.WAKIL,
    Manager.Role.SEKRETARIS,
    Manager.Role.BENDAHARA,
]
SECTION_ROLES = [r for r in Manager.Role if r not in MANAGER_ROLES]


class PeopleMaker:
    """Deterministic invented people, with a valid NIK for some of them."""

    def __init__(self, seed):
        self.random = random.Random(seed)
        self.serial = 0

    def person(self, *, city, kelurahan=None, position="", with_nik=False):
        sex = self.random.choice("LP")
        name = f"{self.random.choice(FIRST_NAMES[sex])} {self.random.choice(FAMILY_NAMES)}"
        self.serial += 1
        return Person.objects.create(
            name=name,
            sex=sex,
            phone=f"0812{self.random.randint(10_000_000, 99_999_999)}",
            nik=self._nik(city, sex) if with_nik else None,
            position=position,
            city=city,
            kelurahan=kelurahan,
        )

    def _nik(self, city, sex):
        region = city.code.replace(".", "") + "01"
        day = self.random.randint(1, 28) + (40 if sex == "P" else 0)
        birth = f"{day:02d}{self.random.randint(1, 12):02d}{self.random.randint(60, 99):02d}"
        return f"{region}{birth}{self.serial:04d}"


@dataclass(frozen=True)
class Stage:
    """How far a demo village gets, so that its level has a reason a reader can see
    on its page: the portal's indices that pass (classification.py)."""

    organised: bool  # input: a trained Pokja with members, two funds, five poktan,
    #   Rumah DataKu, a PKB and a regulation (3.20); else a bare Pokja and BKB (1.80)
    planned: bool  # process: four data sources and all five operations (3.00)
    #   else none (1.00), or a little (1.67) where it is organised
    mkjp: float  # the share of long-acting methods reached in the last month
    unmet_need: float
    reach: int  # poktan members per 100 of the families (or youths) each is for


STAGES = [
    Stage(organised=False, planned=False, mkjp=0.18, unmet_need=0.14, reach=5),  # Dasar
    Stage(organised=True, planned=True, mkjp=0.18, unmet_need=0.14, reach=5),  # Berkembang
    Stage(organised=True, planned=False, mkjp=0.24, unmet_need=0.08, reach=25),  # Mandiri
    Stage(organised=True, planned=True, mkjp=0.26, unmet_need=0.05, reach=35),  # Berkelanjutan
]
ORGANISED_PROGRAMMES = [
    Programme.BKB,
    Programme.BKR,
    Programme.BKL,
    Programme.UPPKA,
    Programme.PIK_R,
    Programme.RUMAH_DATAKU,
]


def stage_profile(stage, pus, progress=1.0):
    """The fields of a profile `progress` (0 to 1) of the way to `stage`."""
    families = pus * 13 // 10
    population = {
        "families": families,
        "youths": families * 4 // 10,
        "families_with_toddler": families * 35 // 100,
        "families_with_teen": families * 30 // 100,
        "families_with_elderly": families // 4,
    }
    reach = round(5 + (stage.reach - 5) * progress)  # per 100 a poktan is for
    users = int(pus * (0.55 + 0.12 * progress))
    long_acting = int(users * (0.18 + (stage.mkjp - 0.18) * progress))
    short_acting = users - long_acting
    unmet = int(pus * (0.14 + (stage.unmet_need - 0.14) * progress))
    return dict(
        pokja_formed=True,
        pokja_has_sk=stage.organised,
        pokja_members=12 if stage.organised else 0,
        pokja_trained=stage.organised,
        funding_sources=[FundingSource.APBD, FundingSource.DANA_DESA][: 1 + stage.organised],
        pkb_assigned=True,
        regulation_in_place=stage.organised,
        regulation_issuer=RegulationIssuer.REGENT if stage.organised else "",
        programmes=ORGANISED_PROGRAMMES if stage.organised else [Programme.BKB],
        data_used=DataSource.values[: 4 if stage.planned else stage.organised],
        operational_activities=OperationalActivity.values[
            : 5 if stage.planned else 2 * stage.organised
        ],
        pus=pus,
        **population,
        **{field: population[base] * reach // 100 for field, base in POKTAN_MEMBER_FIELDS.items()},
        users_iud=long_acting // 2,
        users_implant=long_acting - long_acting // 2,
        users_injection=short_acting * 6 // 10,
        users_pill=short_acting * 3 // 10,
        users_condom=short_acting - short_acting * 9 // 10,
        iat=unmet // 2,
        tial=unmet - unmet // 2,
    )


def _snapshot_series(village, months, rng, *, maturity):
    """Twelve months of profile data, growing towards the village's `STAGES[maturity]`."""
    pus = rng.randint(350, 900)
    for index, month in enumerate(months):
        ProfileSnapshot.objects.create(
            kampung=village,
            month=month,
            **stage_profile(STAGES[maturity], pus, progress=index / (len(months) - 1)),
        )


#: (title, family function, target groups, agencies): the first of them are a Dasar
#: village's, more for each stage, so that the cross-sector score rises with it
#: (1, 3, 5 and 7 agencies: scores 2, 2, 3 and 4).
ACTIVITIES = [
    ("Penyuluhan KB dan kesehatan reproduksi", FamilyFunction.REPRODUCTION,
     [TargetGroup.PUS], ["DINKES"]),
    ("Kelas BKB: stimulasi tumbuh kembang balita", FamilyFunction.EDUCATION,
     [TargetGroup.FAMILIES_WITH_TODDLER], ["DISDIK", "PKK"]),
    ("Pelatihan UPPKA: olahan pangan lokal", FamilyFunction.ECONOMY,
     [TargetGroup.WOMEN, TargetGroup.PUS], ["DINSOS", "DINKOPUKM"]),
    ("Kerja bakti dan bank sampah RW", FamilyFunction.ENVIRONMENT,
     [TargetGroup.EVERYONE], ["DLH", "DISPERKIM"]),
]  # fmt: skip


def _activities(village, months, maturity):
    for index, (title, function, groups, agencies) in enumerate(ACTIVITIES[: maturity + 1]):
        services.record_activity(
            kampung=village,
            agencies=Agency.objects.filter(abbreviation__in=agencies),
            title=title,
            date=months[2 + 3 * index].replace(day=10),
            place=f"Balai {village.rw_covered.split(',')[0]}",
            family_function=function,
            target_groups=groups,
            description="Kegiatan lintas sektor bersama kader dan Pokja.",
        )


def _add_managers(village, count, people, start):
    roles = MANAGER_ROLES + [SECTION_ROLES[i % len(SECTION_ROLES)] for i in range(count - 4)]
    for role in roles:
        person = people.person(
            city=village.city,
            kelurahan=village.kelurahan,
            position=str(role.label),
        )
        Manager.objects.create(
            kampung=village,
            person=person,
            role=role,
            start_date=start,
            sk_number=f"400/{village.pk:03d}/SK-PKB/{start.year}",
        )


def seed_pontianak(people):
    city = City.objects.get(code="61.71")
    rng = random.Random(2018)
    villages = []
    for maturity_rank, (code, name, launched, manager_count) in enumerate(PONTIANAK_VILLAGES):
        village = KampungKB.objects.create(
            name=name,
            kelurahan=Kelurahan.objects.get(code=code),
            rw_covered=f"RW {rng.randint(1, 9):02d}, RW {rng.randint(10, 19):02d}",
            launched_on=launched,
            sk_number=f"463/{100 + maturity_rank}/DP2KBP3A/{launched.year}",
            sk_date=launched,
            sk_issuer="Wali Kota Pontianak",
            location_criteria=rng.sample(["kumuh", "das", "padat", "miskin", "pesisir"], 2),
        )
        _add_managers(village, manager_count, people, launched)
        months = months_from(datetime.date(2018, 4, 1))
        _snapshot_series(village, months, rng, maturity=maturity_rank % 4)
        _activities(village, months, maturity_rank % 4)
        villages.append(village)
    Pokja.objects.create(
        level=Pokja.Level.CITY,
        city=city,
        sk_number="050/45/DP2KBP3A/2017",
        sk_date=datetime.date(2017, 2, 1),
    )
    return villages


def seed_pasuruan(people):
    city = City.objects.get(code="35.75")
    rng = random.Random(2020)
    agencies = {a.abbreviation: a for a in Agency.objects.all()}
    city_pokja = Pokja.objects.create(
        level=Pokja.Level.CITY,
        city=city,
        sk_number="188.45/112/423.011/2020",
        sk_date=datetime.date(2020, 2, 3),
    )
    for abbreviation in PASURUAN_CITY_POKJA:
        head = people.person(
            city=city, position=f"Kepala {agencies[abbreviation].name}", with_nik=True
        )
        PokjaMember.objects.create(
            pokja=city_pokja,
            person=head,
            agency=agencies[abbreviation],
            term_start=datetime.date(2020, 2, 3),
        )
    villages = []
    for rank, ((code, name, launched), size) in enumerate(
        zip(PASURUAN_VILLAGES, PASURUAN_POKJA_SIZES, strict=True)
    ):
        kelurahan = Kelurahan.objects.get(code=code)
        village = KampungKB.objects.create(
            name=name,
            kelurahan=kelurahan,
            rw_covered=f"RW {rng.randint(1, 8):02d}",
            launched_on=launched,
            sk_number=f"188/{210 + rank}/423.011/{launched.year}",
            sk_date=launched,
            sk_issuer="Wali Kota Pasuruan",
            location_criteria=rng.sample(["padat", "industri", "pesisir", "kumuh"], 2),
        )
        _add_managers(village, 12, people, launched)
        pokja = Pokja.objects.create(
            level=Pokja.Level.KELURAHAN,
            city=city,
            district=kelurahan.district,
            kelurahan=kelurahan,
            sk_number=f"188/{300 + rank}/423.203/2020",
            sk_date=datetime.date(2020, 3, 2),
        )
        for seat in range(size):
            abbreviation = KELURAHAN_POKJA_AGENCIES[seat % len(KELURAHAN_POKJA_AGENCIES)]
            member = people.person(
                city=city,
                kelurahan=kelurahan,
                with_nik=seat % 3 == 0,
                position=f"Anggota Pokja ({abbreviation})",
            )
            PokjaMember.objects.create(
                pokja=pokja,
                person=member,
                agency=agencies[abbreviation],
                role=PokjaMember.Role.KETUA if seat == 0 else PokjaMember.Role.ANGGOTA,
                term_start=datetime.date(2020, 3, 2),
            )
        months = months_from(datetime.date(2020, 1, 1))
        _snapshot_series(village, months, rng, maturity=(rank + 1) % 4)
        _activities(village, months, (rank + 1) % 4)
        villages.append(village)
    return villages


#: The two dinas of the stories, as the admin describes them for their letterheads.
#: Addresses, numbers and NIPs are placeholders of the demo, not the offices' own.
OFFICES = [
    (
        "61.71",
        "DP2KBP3A",
        "Alamat contoh demo, Kota Pontianak",
        "Kepala DP2KBP3A Kota Pontianak",
        "Kepala Dinas (contoh demo)",
        "197001012000031001",
    ),
    (
        "35.75",
        "DP3AKB",
        "Alamat contoh demo, Kota Pasuruan",
        "Kepala DP3AKB Kota Pasuruan",
        "Njoman Swasti, S.STP, MM",
        "197502022001122002",
    ),
]


def demo_logo():
    """A round green emblem with "KB" on it, standing in for a dinas's logo."""
    image = Image.new("RGBA", (240, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill=(11, 110, 79, 255), outline=(230, 180, 30, 255), width=10)
    draw.text((120, 120), "KB", fill="white", anchor="mm", font_size=96)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="logo.png")


def seed_offices():
    for city_code, abbreviation, address, position, name, nip in OFFICES:
        office = AgencyOffice(
            city=City.objects.get(code=city_code),
            agency=Agency.objects.get(abbreviation=abbreviation),
            address=address,
            phone="0000-000000",
            head_position=position,
            head_name=name,
            head_nip=nip,
            leads_programme=True,
        )
        office.logo.save("logo.png", demo_logo(), save=False)
        office.save()


def seed():
    """Create the villages demo; returns False where it was already there."""
    if KampungKB.objects.filter(name=PONTIANAK_VILLAGES[0][1]).exists():
        return False
    people = PeopleMaker(seed=20180327)
    seed_offices()
    seed_pontianak(people)
    seed_pasuruan(people)
    return True


def seed_this_year(today):
    """A year of monthly profiles up to `today`'s month for every demo village, this
    month's entered for every other one, each at the stage its story reached; returns
    False where last month's were already there."""
    this_month = today.replace(day=1)
    villages = KampungKB.objects.order_by("pk")
    last_month = add_months(this_month, -1)
    if ProfileSnapshot.objects.filter(kampung__in=villages, month=last_month).exists():
        return False
    for index, village in enumerate(villages):
        pus = village.snapshots.order_by("-month").values_list("pus", flat=True).first() or 500
        months = months_from(add_months(this_month, -12), 12 + (index % 2 == 0))
        for month in months:
            ProfileSnapshot.objects.create(
                kampung=village, month=month, **stage_profile(STAGES[index % 4], pus)
            )
    return True
