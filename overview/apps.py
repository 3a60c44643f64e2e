from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """The pages that gather from every app: the dashboard, the personal calendar, and
    the whole record of a village, a person and an agency. The top of the layers:

    kampungkb (shared helpers) ← accounts ← villages ← training, coaching ← overview
    """

    name = "overview"
    verbose_name = _("Ikhtisar")
