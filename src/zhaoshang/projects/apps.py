from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zhaoshang.projects"
    label = "projects"
    verbose_name = "招商项目"

    def ready(self) -> None:
        from zhaoshang.projects import sheets  # noqa: F401  (registers the import/export kinds)
        from zhaoshang.projects import notices, tasks  # noqa: F401  (notification kinds, the daily digest)
