from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from coaching import demo as coaching_demo
from overview.demo_users import ensure_demo_users
from training import demo as training_demo
from villages import demo as villages_demo


class Command(BaseCommand):
    help = (
        "Set up a working demo: migrate, load reference data, the two seed stories and "
        "the current year around today, create one login per role, then serve on "
        "127.0.0.1:8000. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Only set up; do not serve.")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve=False, addrport="127.0.0.1:8000", **options):
        self.say("Menyiapkan basis data…")
        call_command("migrate", verbosity=0, interactive=False)
        self.say("Memuat kode wilayah Kemendagri dan perangkat daerah…")
        call_command("load_reference", stdout=self.stdout)
        with transaction.atomic():
            logins = ensure_demo_users()
            for name, seed in self.seeds(timezone.localdate()):
                self.say(f"{name}…", ending=" ")
                self.say("dibuat" if seed() else "sudah ada")
        self.stdout.write(self.style.SUCCESS("\nDemo logins (password for all):"))
        for username, password, role in logins:
            self.stdout.write(f"  {username:<24} {password:<18} {role}")
        self.stdout.flush()
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)

    def say(self, text, ending="\n"):
        """A line of progress, shown at once even where the output is a pipe."""
        self.stdout.write(text, ending=ending)
        self.stdout.flush()

    def seeds(self, today):
        return [
            ("Kampung KB Pontianak 2018 dan Pasuruan 2020", villages_demo.seed),
            ("Bimtek Pontianak 2018 dan lokakarya Pasuruan 2020", training_demo.seed),
            ("Pembinaan Pontianak 2018–2019", coaching_demo.seed),
            (f"Profil bulanan sampai {today:%m/%Y}", lambda: villages_demo.seed_this_year(today)),
            (f"Bimtek Pontianak {today.year}", lambda: training_demo.seed_this_year(today)),
            (
                f"Pembinaan Pontianak sampai {today:%m/%Y}",
                lambda: coaching_demo.seed_this_year(today),
            ),
        ]
