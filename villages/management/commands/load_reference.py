from django.core.management.base import BaseCommand
from django.db import transaction

from villages.models import Agency, City, District, Kelurahan
from villages.reference import load_agencies, load_regions

#: Regions listed by name under each kind of change; more are counted.
SHOWN = 50


class Command(BaseCommand):
    help = "Load (or refresh) Kemendagri regions and the agency list; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, then roll back.")

    @transaction.atomic
    def handle(self, *args, dry_run=False, **options):
        changes = load_regions(City, District, Kelurahan)
        agencies = load_agencies(Agency)
        counts = changes.counts
        self.stdout.write(
            f"{counts['kota']} kota, {counts['kecamatan']} kecamatan, "
            f"{counts['kelurahan']} kelurahan, {agencies} perangkat daerah"
        )
        for title, lines in [
            ("baru", changes.added),
            ("berganti nama atau induk (tercatat di riwayatnya)", changes.renamed),
            ("tidak ada lagi di berkas Kemendagri (tetap disimpan)", changes.retired),
        ]:
            if lines:
                self.stdout.write(f"{len(lines)} wilayah {title}:")
                self.stdout.write("\n".join(f"  {line}" for line in lines[:SHOWN]))
                if len(lines) > SHOWN:
                    self.stdout.write(f"  … dan {len(lines) - SHOWN} lagi")
        if dry_run:
            transaction.set_rollback(True)
            self.stdout.write("dry run: nothing saved")
