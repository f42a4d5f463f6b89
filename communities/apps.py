from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Komunitas")

    def ready(self) -> None:
        from . import signals  # noqa: F401
