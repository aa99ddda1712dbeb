from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "zhaoshang.evaluation"
    label = "evaluation"
    verbose_name = "亩均评价"

    def ready(self) -> None:
        # Registered on import: the evaluation job, the notification kinds.
        from zhaoshang.evaluation import notices, runner  # noqa: F401
