from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Kampung KB")

    def ready(self):
        from . import levels

        levels.connect(self)
