from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        # Log-in events go to the audit log; tasks register their job kinds.
        from zhaoshang.core import imports, signals, tasks  # noqa: F401
