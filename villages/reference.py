"""Load the Kemendagri regions and the agency list shipped in villages/data/.

Loading is idempotent: rows are matched on their code (or abbreviation) and
updated in place, so running it twice changes nothing.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(filename):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@dataclass
class RegionChanges:
    """What a load of the regions found, as `load_reference` prints it."""

    counts: dict = field(default_factory=dict)  # level → regions in the file
    added: list = field(default_factory=list)
    renamed: list = field(default_factory=list)  # a new name, or a new parent region
    retired: list = field(default_factory=list)  # in the database, no longer in the file


#: The province code `generate_scale` gives its synthetic regions: never Kemendagri's.
SYNTHETIC = "99."


def load_regions(City, District, Kelurahan):
    """Add the file's new regions and rename those whose name or parent changed, each
    saved on its own so that its history records it; a region the file no longer has
    is kept (villages hang off it) and reported as retired. Takes the model classes
    so that a data migration can pass historical models."""
    model_by_level = {"kota": City, "kecamatan": District, "kelurahan": Kelurahan}
    parent_field = {"kecamatan": "city_id", "kelurahan": "district_id"}
    stored = {
        level: {region.code: region for region in model.objects.all()}
        for level, model in model_by_level.items()
    }
    changes = RegionChanges(counts=dict.fromkeys(model_by_level, 0))
    seen, parents = set(), {}
    for row in _rows("wilayah.csv"):
        level, code = row["tingkat"], row["kode"]
        if level not in model_by_level:
            continue  # the province rows only give the city codes their context
        fields = {"name": row["nama"]}
        if level in parent_field:
            fields[parent_field[level]] = parents[row["kode_induk"]]
        region = stored[level].get(code)
        if region is None:
            region = model_by_level[level].objects.create(code=code, **fields)
            changes.added.append(f"{level} {code} {region.name}")
        elif any(getattr(region, name) != value for name, value in fields.items()):
            change = f"{region.name} → {fields['name']}"
            for name, value in fields.items():
                setattr(region, name, value)
            region._change_reason = f"Kemendagri: {change}"  # its history's reason
            region.save()
            changes.renamed.append(f"{level} {code}: {change}")
        parents[code] = region.pk
        seen.add(code)
        changes.counts[level] += 1
    for level, regions in stored.items():
        changes.retired += [
            f"{level} {code} {region.name}"
            for code, region in regions.items()
            if code not in seen and not code.startswith(SYNTHETIC)
        ]
    return changes


def load_agencies(Agency):
    count = 0
    for row in _rows("instansi.csv"):
        Agency.objects.update_or_create(
            abbreviation=row["singkatan"],
            defaults={"name": row["nama"], "sector": row["sektor"]},
        )
        count += 1
    return count
