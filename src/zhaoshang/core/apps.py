from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Log-in events go to the audit log; tasks register their job kinds.
        from zhaoshang.core import imports, signals, tasks  # noqa: F401
