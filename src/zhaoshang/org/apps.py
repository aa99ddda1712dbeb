from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhaoshang.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from zhaoshang.core import imports
        from zhaoshang.org.principal import principal_for

        # An upload is checked and committed as the person who made it, with their roles and scope.
        imports.register_principal_builder(principal_for)
