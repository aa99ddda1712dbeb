from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    label = "chains"
    verbose_name = "产业链链长制"

    def ready(self) -> None:
        from zhaoshang.chains import services
        from zhaoshang.projects import extensions

        # A project placed on a chain is reviewed against the chain's entry thresholds as well.
        extensions.register_review_rules(services.review_thresholds)
