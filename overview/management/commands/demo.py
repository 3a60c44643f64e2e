from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from coaching import demo as coaching_demo
from overview.demo_users import ensure_demo_users
from training import demo as training_demo
from villages import demo as villages_demo


class Command(BaseCommand):
    help = (
        "Set up a working demo: migrate, load reference data and the two seed stories, "
        "create one login per role, then serve on 127.0.0.1:8000. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Only set up; do not serve.")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve=False, addrport="127.0.0.1:8000", **options):
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_reference", stdout=self.stdout)
        with transaction.atomic():
            logins = ensure_demo_users()
            for name, seed in self.seeds():
                created = seed()
                self.stdout.write(f"{name}: {'created' if created else 'already there'}")
        self.stdout.write(self.style.SUCCESS("\nDemo logins (password for all):"))
        for username, password, role in logins:
            self.stdout.write(f"  {username:<24} {password:<18} {role}")
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)

    def seeds(self):
        return [
            ("villages", villages_demo.seed),
            ("training", training_demo.seed),
            ("coaching", coaching_demo.seed),
        ]
