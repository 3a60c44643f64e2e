from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Kampung KB")

    def ready(self):
        from kampungkb import citycache

        from .models import Agency, District, KampungKB, Kelurahan, Person, ProfileSnapshot

        # The dashboard and list counts of a city, and the pages kept for it (their
        # place names too), are cached until one of these changes; agencies, shown
        # in every city, retire everything.
        citycache.track(District, "city")
        citycache.track(Kelurahan, "district__city")
        citycache.track(KampungKB, "kelurahan__district__city")
        citycache.track(ProfileSnapshot, "kampung__kelurahan__district__city")
        citycache.track(Person, "city")
        citycache.track_reference(Agency)
