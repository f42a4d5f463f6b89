from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Komunitas")

    def ready(self) -> None:
        from kimportal.hosts import set_community_check

        from . import signals  # noqa: F401
        from .hosts import community_for_host

        set_community_check(lambda hostname: community_for_host(hostname) is not None)
