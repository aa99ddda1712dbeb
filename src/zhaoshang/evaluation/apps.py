from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "zhaoshang.evaluation"
    label = "evaluation"
    verbose_name = _("Per-mu evaluation")

    def ready(self) -> None:
        from zhaoshang.evaluation import runner  # noqa: F401  (registers the evaluation job)
