from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        # Log-in events go to the audit log; tasks register their job kinds.
        # Names and codes refuse display-spoofing characters on every save (等保: 输入校验).
        from zhaoshang.core import (  # noqa: F401
            display_guard,  # noqa: F401
            imports,
            signals,
            tasks,
        )
