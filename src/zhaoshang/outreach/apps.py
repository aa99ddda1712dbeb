from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "zhaoshang.outreach"
    label = "outreach"
    verbose_name = "招商活动与渠道"

    def ready(self) -> None:
        import zhaoshang.outreach.sheets  # noqa: F401  (registers the import/export kinds)
        from zhaoshang.outreach import panels
        from zhaoshang.projects import extensions

        # A project's page shows who brought it in.
        extensions.register_detail_panel(panels.project_panel)
