from django.apps import AppConfig


class PromotionConfig(AppConfig):
    name = "zhaoshang.promotion"
    label = "promotion"
    verbose_name = "项目储备库"

    def ready(self) -> None:
        from zhaoshang.core import audit
        from zhaoshang.promotion.models import FORMER_LABELS

        # Events recorded before the move name the models by their old label; the chain keeps them so.
        for label, former in FORMER_LABELS.items():
            audit.register_former_label(label, former)
