from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Pembinaan")

    def ready(self):
        from kampungkb import citycache

        from .models import CoachingPlan, CoachingVisit, Need

        # The dashboard and list counts of a city are cached until one of these changes.
        citycache.track(CoachingPlan, "kampung__city")
        citycache.track(CoachingVisit, "kampung__city")
        citycache.track(Need, "kampung__city")
