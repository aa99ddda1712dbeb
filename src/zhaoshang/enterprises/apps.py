from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "zhaoshang.enterprises"
    label = "enterprises"
    verbose_name = "企业"

    def ready(self) -> None:
        from zhaoshang.enterprises import sheets  # noqa: F401  (registers the import/export kinds)
        from zhaoshang.enterprises.models import Enterprise
        from zhaoshang.org.principal import ENTERPRISE_PROVIDERS

        def own_enterprises(user_id: int) -> list[int]:
            return list(
                Enterprise.users.through.objects.filter(user_id=user_id).values_list(
                    "enterprise_id", flat=True
                )
            )

        ENTERPRISE_PROVIDERS.append(own_enterprises)

        from zhaoshang.enterprises.views_accounts import user_panel
        from zhaoshang.org.panels import USER_PANELS

        USER_PANELS.append(user_panel)
