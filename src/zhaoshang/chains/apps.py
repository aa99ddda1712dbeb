from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    label = "chains"
    verbose_name = "产业链链长制"

    def ready(self) -> None:
        import zhaoshang.chains.sheets  # noqa: F401  (registers the import/export kinds)
        from zhaoshang.chains import services, tasks  # noqa: F401  (tasks registers the daily digest)
        from zhaoshang.projects import extensions

        # A project placed on a chain is reviewed against the chain's entry thresholds as well.
        extensions.register_review_rules(services.review_thresholds)
