from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "zhaoshang.evaluation"
    label = "evaluation"
    verbose_name = "亩均评价"

    def ready(self) -> None:
        from zhaoshang.evaluation import runner  # noqa: F401  (registers the evaluation job)
        from zhaoshang.evaluation import notices  # noqa: F401  (registers its notification kinds)
