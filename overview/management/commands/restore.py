from cachalot.api import invalidate
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from villages import levels
from villages.models import KampungKB, Person


class Command(BaseCommand):
    help = (
        "Restore a file written by `backup` into a freshly migrated database. "
        "Refuses a database that already holds users or programme data."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Load, count, roll back.")

    def handle(self, *args, path, dry_run=False, **options):
        if any(model.objects.exists() for model in (User, KampungKB, Person)):
            raise CommandError("Basis data tidak kosong: pulihkan hanya ke basis data baru.")
        with transaction.atomic():
            # The backup carries the reference data too, with its own keys.
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", path, verbosity=0)
            levels.judge_all()  # rows load as they are: the levels as this release judges
            # query results cached before the restore describe other data
            invalidate(cache_alias=settings.CACHALOT_CACHE)
            self.stdout.write(
                f"restored {KampungKB.objects.count()} Kampung KB, "
                f"{Person.objects.count()} people, {User.objects.count()} users"
            )
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("dry run: rolled back")
