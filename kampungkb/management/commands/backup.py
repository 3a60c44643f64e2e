from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

#: Rebuilt by migrations or of no use in another database.
NOT_BACKED_UP = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
]


class Command(BaseCommand):
    help = "Write all data (users, reference data, programme data, history) to a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to write, e.g. backups/kampungkb-2026-11-28.json")

    def handle(self, *args, path, **options):
        call_command(
            "dumpdata", exclude=NOT_BACKED_UP, natural_foreign=True, output=path, verbosity=0
        )
        self.stdout.write(f"backup written to {path}")
        self.stdout.write(
            f"activity photos are files, not data: copy {settings.MEDIA_ROOT} with the backup"
        )
