from django.apps import AppConfig


class KampungKBConfig(AppConfig):
    """The project package as an app: its management commands and the dashboard."""

    name = "kampungkb"
    verbose_name = "Kampung KB"

    def ready(self):
        from . import citycache

        citycache.connect()
