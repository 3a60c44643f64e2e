from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Pelatihan")

    def ready(self):
        from kampungkb import citycache

        from .models import EventDay, TrainingEvent

        # The dashboard and list counts of a city are cached until one of these changes.
        citycache.track(TrainingEvent, "city")
        citycache.track(EventDay, "event__city")
