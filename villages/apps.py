from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Kampung KB")

    def ready(self):
        from . import levels, photos
        from .models import ActivityPhoto

        levels.connect(self)
        photos.delete_files_with_rows(ActivityPhoto)
