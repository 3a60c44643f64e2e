from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Kampung KB")

    def ready(self):
        from kampungkb import citycache

        from .models import District, KampungKB, Kelurahan, Person, ProfileSnapshot

        # The dashboard and list counts of a city, and the lists it draws (their place
        # names too), are cached until one of these changes.
        citycache.track(District, "city")
        citycache.track(Kelurahan, "district__city")
        citycache.track(KampungKB, "kelurahan__district__city")
        citycache.track(ProfileSnapshot, "kampung__kelurahan__district__city")
        citycache.track(Person, "city")
