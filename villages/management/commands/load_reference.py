from django.core.management.base import BaseCommand
from django.db import transaction

from villages.models import Agency, City, District, Kelurahan
from villages.reference import load_agencies, load_regions


class Command(BaseCommand):
    help = "Load (or refresh) Kemendagri regions and the agency list; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, then roll back.")

    @transaction.atomic
    def handle(self, *args, dry_run=False, **options):
        counts = load_regions(City, District, Kelurahan)
        agencies = load_agencies(Agency)
        self.stdout.write(
            f"{counts['kota']} kota, {counts['kecamatan']} kecamatan, "
            f"{counts['kelurahan']} kelurahan, {agencies} perangkat daerah"
        )
        if dry_run:
            transaction.set_rollback(True)
            self.stdout.write("dry run: nothing saved")
