from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zhaoshang.projects"
    label = "projects"
    verbose_name = "招商项目"

    def ready(self) -> None:
        # Registered on import: the import/export kinds, the notification kinds, the daily digest job.
        from zhaoshang.projects import notices, sheets, tasks  # noqa: F401
