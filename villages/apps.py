from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Kampung KB")

    def ready(self):
        from kampungkb import citycache

        from .models import (
            Agency,
            District,
            KampungKB,
            Kelurahan,
            Manager,
            Person,
            Pokja,
            PokjaMember,
            ProfileSnapshot,
        )

        # The dashboard and list counts of a city, and the pages kept for it (their
        # place names too), are cached until one of these changes; agencies, shown
        # in every city, retire everything.
        citycache.track(District, "city")
        citycache.track(Kelurahan, "district__city")
        citycache.track(KampungKB, "city")
        citycache.track(ProfileSnapshot, "kampung__city")
        citycache.track(Person, "city")
        # A village page is kept for its city too: its managers and Pokja, whose
        # people may belong to another city.
        citycache.track(Manager, "kampung__city")
        citycache.track(Pokja, "city")
        citycache.track(PokjaMember, "pokja__city")
        citycache.track(Person, "manager_roles__kampung__city")
        citycache.track(Person, "pokja_seats__pokja__city")
        citycache.track_reference(Agency)
