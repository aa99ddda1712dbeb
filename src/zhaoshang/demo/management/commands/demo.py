"""`zhaoshang demo`: loads the demo county (once) and prints its log-ins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhaoshang.demo.county import DEMO_PASSWORD, build_demo_county, demo_exists, demo_logins


class Command(BaseCommand):
    help = "Load the demo county 示范县 and print the demo log-ins (demo mode only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale",
            choices=["county", "province"],
            default="county",
            help="county: the demo county 示范县 (default); province: 200,000 enterprises for benchmarks",
        )
        parser.add_argument("--enterprises", type=int, default=200_000, help="province scale: how many")
        parser.add_argument("--quiet", action="store_true", help="do not print the log-ins")

    def handle(self, *args: Any, scale: str, quiet: bool = False, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("演示数据只能在演示模式下加载（ZHAOSHANG_DEMO=1，且非生产环境）。")
        if scale == "province":
            self._province(options["enterprises"])
            return
        if demo_exists():
            self.stdout.write("示范县演示数据已存在，未重复加载。")
        else:
            counts = build_demo_county()
            from zhaoshang.core import planner

            planner.refresh_statistics()  # the planner's statistics describe the loaded county
            self.stdout.write(
                f"已加载示范县：{counts['units']} 个单位，{counts['users']} 个用户，"
                f"{counts['enterprises']} 家工业企业，{counts['years']} 条年度指标。"
            )
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write("地址：http://127.0.0.1:8000")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for login in demo_logins():
            self.stdout.write(
                f"  {login.username:<12} {login.role.label:<8} {login.unit}  {login.name}（{login.title}）"
            )
        self.stdout.write("")

    def _province(self, enterprises: int) -> None:
        import sys
        import time

        from tqdm import tqdm

        from zhaoshang.core import context
        from zhaoshang.demo.province import build_province, province_exists

        if province_exists():
            self.stdout.write("基准省数据已存在，未重复生成。")
            return
        start = time.perf_counter()
        with (
            tqdm(total=enterprises, desc="生成企业", unit=" 家", file=sys.stderr) as bar,
            context.acting(context.ActorContext(user_repr="演示数据生成器", channel="cli")),
        ):
            counts = build_province(
                enterprises=enterprises, progress=lambda done, total: bar.update(done - bar.n)
            )
        self.stdout.write(
            f"已生成基准省：{counts['enterprises']} 家企业，{counts['years']} 条年度指标，"
            f"用时 {time.perf_counter() - start:.0f} 秒。"
        )
