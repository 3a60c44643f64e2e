from django.apps import AppConfig


class KampungKBConfig(AppConfig):
    """The project package as an app: what every app shares (form helpers, history,
    documents, paging, middleware), its migrations and the `backup` command."""

    name = "kampungkb"
    verbose_name = "Kampung KB"
