from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Pelatihan")

    def ready(self):
        from kampungkb import citycache
        from villages.models import KampungKB, Person

        from .models import EventDay, Registration, TrainingEvent

        # The dashboard and list counts of a city are cached until one of these changes.
        citycache.track(TrainingEvent, "city")
        citycache.track(EventDay, "event__city")
        # An event's participants page is kept for its city: the people and villages
        # it names may belong to other cities.
        citycache.track(Registration, "event__city")
        citycache.track(Person, "registrations__event__city")
        citycache.track(Person, "substitutions__event__city")
        citycache.track(KampungKB, "registrations__event__city")
        # A village page is kept for its city too, with the trainings of its people,
        # wherever they took place.
        for path in Registration.VILLAGE_CITY_PATHS:
            citycache.track(Registration, path)
            citycache.track(TrainingEvent, f"registrations__{path}")
