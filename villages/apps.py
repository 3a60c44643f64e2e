from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Kampung KB")

    def ready(self):
        from . import levels, photos
        from .models import ActivityPhoto, AgencyOffice

        levels.connect(self)
        photos.delete_files_with_rows(ActivityPhoto)
        photos.delete_files_with_rows(AgencyOffice, field="logo")
