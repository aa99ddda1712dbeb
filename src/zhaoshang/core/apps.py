from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from zhaoshang.core import planner

        post_migrate.connect(planner.after_migrate, dispatch_uid="zhaoshang-planner-statistics")
        # Log-in events go to the audit log; tasks register their job kinds.
        # Names and codes refuse display-spoofing characters on every save (等保: 输入校验).
        from zhaoshang.core import (  # noqa: F401
            display_guard,  # noqa: F401
            imports,
            notice_kinds,  # the kinds of notification core sends
            signals,
            tasks,
        )
