"""Demo data for the villages app: the Kampung KB of the two seed articles.

Pontianak (2018): six Kampung KB, one in each kecamatan, with their managers.
Pasuruan (2020): a Kampung KB in each of the four kecamatan, a city Pokja of
twelve agency heads and kelurahan Pokja of 114 members in all.
Names are invented; codes are the real Kemendagri ones.
"""

import datetime
import random

from kampungkb.months import months_from

from .models import (
    Agency,
    City,
    DataSource,
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


#: The poktan and sarana that a mature village adds to its BKB.
_PROCESS_PROGRAMMES = (
    Programme.BKR,
    Programme.BKL,
    Programme.PIK_R,
    Programme.UPPKA,
    Programme.RUMAH_DATAKU,
)


def _snapshot_series(village, months, rng, *, maturity):
    """Twelve months of profile data; `maturity` 0–3 decides how far the village gets."""
    pus = rng.randint(350, 900)
    families = pus * 13 // 10
    toddler, teen, elderly = families * 35 // 100, families * 30 // 100, families // 4
    youths = families * 4 // 10
    reach = 10 + 8 * maturity  # per 100 of the families (or youths) a poktan is for
    for index, month in enumerate(months):
        progress = index / (len(months) - 1)
        users = int(pus * (0.55 + 0.12 * progress + 0.03 * maturity))
        long_acting = int(users * (0.18 + 0.06 * progress * (maturity >= 3)))
        unmet = int(pus * (0.14 - 0.03 * progress * (maturity >= 3)))
        ProfileSnapshot.objects.create(
            kampung=village,
            month=month,
            pokja_formed=True,
            pokja_has_sk=maturity >= 1 or index > 6,
            pokja_trained=maturity >= 1 and index > 2,
            pkb_assigned=True,
            funding_sources=[FundingSource.APBD, FundingSource.DANA_DESA][: 1 + (maturity > 1)],
            regulation_in_place=maturity >= 1,
            programmes=[
                Programme.BKB,
                *(_PROCESS_PROGRAMMES if maturity >= 2 else ()),
                *([Programme.BKL] if maturity < 2 and index > 8 else []),
                *([Programme.RUMAH_DATAKU] if maturity < 2 and index > 5 else []),
            ],
            data_used=[DataSource.PK, DataSource.RUTIN] if maturity >= 2 else [],
            operational_activities=list(OperationalActivity)[: 3 + maturity] * (maturity >= 2),
            pokja_members=12 + 3 * maturity,
            families=families,
            youths=youths,
            families_with_toddler=toddler,
            families_with_teen=teen,
            families_with_elderly=elderly,
            pus=pus,
            members_bkb=toddler * reach // 100,
            members_bkr=teen * reach // 100 if maturity >= 2 else 0,
            members_bkl=elderly * reach // 100 if maturity >= 2 else 0,
            members_uppka=families * reach // 300 if maturity >= 2 else 0,
            members_pikr=youths * reach // 100 if maturity >= 2 else 0,
            users_iud=long_acting // 2,
            users_implant=long_acting - long_acting // 2,
            users_injection=(users - long_acting) * 6 // 10,
            users_pill=(users - long_acting) * 3 // 10,
            users_condom=(users - long_acting) - (users - long_acting) * 9 // 10,
            iat=unmet // 2,
            tial=unmet - unmet // 2,
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
        _snapshot_series(
            village, months_from(datetime.date(2018, 4, 1)), rng, maturity=maturity_rank % 4
        )
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
        _snapshot_series(
            village, months_from(datetime.date(2020, 1, 1)), rng, maturity=(rank + 1) % 4
        )
        villages.append(village)
    return villages


def seed():
    """Create the villages demo; returns False where it was already there."""
    if KampungKB.objects.filter(name=PONTIANAK_VILLAGES[0][1]).exists():
        return False
    people = PeopleMaker(seed=20180327)
    seed_pontianak(people)
    seed_pasuruan(people)
    return True
