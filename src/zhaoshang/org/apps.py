from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhaoshang.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from zhaoshang.core import imports, notifications
        from zhaoshang.org.principal import principal_for
        from zhaoshang.org.selectors import role_holder_ids

        # An upload is checked and committed as the person who made it, with their roles and scope.
        imports.register_principal_builder(principal_for)
        # Alerts for a role (probing → security administrators, a broken chain → auditors).
        if role_holder_ids not in notifications.ROLE_HOLDERS:
            notifications.ROLE_HOLDERS.append(role_holder_ids)
