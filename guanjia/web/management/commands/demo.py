"""`guanjia demo`: load the demo company and print one login per role."""

from __future__ import annotations

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guanjia.web.demo import DEMO_SEED, DemoConflict, DemoLogins, demo_load
from guanjia.web.demo.tickets import demo_tickets_load

LOGIN_URL = "http://127.0.0.1:8000/"


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def logins_table(logins: DemoLogins) -> str:
    rows = [("角色", "用户名", "密码", "项目")]
    rows += [(login.role_label, login.username, login.password, "、".join(login.estates)) for login in logins]
    widths = [max(_width(row[col]) for row in rows) for col in range(3)]
    lines = ["  ".join([*(_pad(cell, w) for cell, w in zip(row[:3], widths, strict=True)), row[3]]) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in [*widths, max(_width(row[3]) for row in rows)]))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "载入演示物业公司（三个项目、住户、员工、排班、设备台账），并列出每个角色的登录账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="随机种子：同一种子生成相同数据")
        parser.add_argument("--scale", type=float, default=1.0, help="规模系数，如 0.05 用于测试")
        parser.add_argument("--tickets", type=int, default=40, help="每个项目生成的演示工单数（0 表示不生成）")

    def handle(self, *args, seed: int, scale: float, tickets: int, **options) -> None:
        if scale <= 0:
            raise CommandError("--scale 必须大于 0")
        started = time.monotonic()
        try:
            logins = demo_load(seed=seed, scale=scale)
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        if logins.created and tickets > 0:
            made = demo_tickets_load(seed=seed, per_estate=tickets)
            self.stdout.write(f"已生成 {made} 张演示工单（最近一周，时间相对于现在）")
        if logins.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据已载入（种子 {seed}，规模 {scale:g}，用时 {time.monotonic() - started:.1f} 秒）"
                )
            )
        else:
            self.stdout.write(self.style.WARNING("演示数据已存在，未做改动。"))
        self.stdout.write("")
        self.stdout.write(logins_table(logins))
        self.stdout.write("")
        self.stdout.write(f"请在浏览器打开 {LOGIN_URL} 登录；所有演示账号密码相同。")
