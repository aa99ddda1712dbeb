"""`zhaoshang bootstrap`: the first units and the first administrator of a new deployment."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhaoshang.core import context
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.org import services
from zhaoshang.org.models import Unit, User
from zhaoshang.org.standard import ensure_standard_kinds


class Command(BaseCommand):
    help = "Create the standard unit kinds, the province → city → county chain and an administrator."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--province", required=True, help="e.g. 浙江省")
        parser.add_argument("--city", required=True, help="e.g. 丽水市")
        parser.add_argument("--county", required=True, help="e.g. 遂昌县")
        parser.add_argument("--admin", required=True, help="user name of the first administrator")
        parser.add_argument("--password", default="", help="omit to be asked (keeps it out of shell history)")
        # 三权分立: the administrator cannot grant roles, so the first security administrator comes here too.
        parser.add_argument(
            "--security-admin", default="", help="user name of the first security administrator"
        )
        parser.add_argument("--security-password", default="", help="omit to be asked")

    def handle(self, *args: Any, **o: Any) -> None:
        password = o["password"] or getpass.getpass("管理员密码：")
        security = o["security_admin"]
        security_password = ""
        if security:
            security_password = o["security_password"] or getpass.getpass("安全管理员密码：")
        for name in filter(None, (o["admin"], security)):
            if User.objects.filter(username=name).exists():
                raise CommandError(f"用户名 {name} 已存在")
        try:
            with (
                transaction.atomic(),
                context.acting(context.ActorContext(user_repr="初始化", channel="cli")),
            ):
                kinds = ensure_standard_kinds()
                parent = None
                for kind, name in (("province", o["province"]), ("city", o["city"]), ("county", o["county"])):
                    unit = Unit.objects.filter(name=name, kind=kinds[kind], parent=parent).first()
                    parent = unit or services.unit_create(
                        by=SYSTEM, name=name, kind=kinds[kind], parent=parent
                    )
                admin = services.user_create(
                    by=SYSTEM, username=o["admin"], password=password, title="系统管理员"
                )
                services.membership_add(by=SYSTEM, user=admin, unit=parent, role=Role.ADMIN)
                if security:
                    guard = services.user_create(
                        by=SYSTEM, username=security, password=security_password, title="安全管理员"
                    )
                    services.membership_add(by=SYSTEM, user=guard, unit=parent, role=Role.SECURITY_ADMIN)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已创建 {o['province']} / {o['city']} / {o['county']} 和管理员 {o['admin']}。")
        if security:
            self.stdout.write(f"安全管理员 {security} 负责授予角色（系统管理员不能授予角色）。")
