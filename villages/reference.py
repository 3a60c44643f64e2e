"""Load the Kemendagri regions and the agency list shipped in villages/data/.

Loading is idempotent: rows are matched on their code (or abbreviation) and
updated in place, so running it twice changes nothing.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(filename):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_regions(City, District, Kelurahan):
    """Takes the model classes so that a data migration can pass historical models."""
    parents = {}
    model_by_level = {"kota": City, "kecamatan": District, "kelurahan": Kelurahan}
    parent_field = {"kecamatan": "city", "kelurahan": "district"}
    counts = dict.fromkeys(model_by_level, 0)
    for row in _rows("wilayah.csv"):
        level = row["tingkat"]
        if level not in model_by_level:
            continue  # the province rows only give the city codes their context
        defaults = {"name": row["nama"]}
        if level in parent_field:
            defaults[parent_field[level]] = parents[row["kode_induk"]]
        region, _ = model_by_level[level].objects.update_or_create(
            code=row["kode"], defaults=defaults
        )
        parents[row["kode"]] = region
        counts[level] += 1
    return counts


def load_agencies(Agency):
    count = 0
    for row in _rows("instansi.csv"):
        Agency.objects.update_or_create(
            abbreviation=row["singkatan"],
            defaults={"name": row["nama"], "sector": row["sektor"]},
        )
        count += 1
    return count
