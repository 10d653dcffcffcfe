"""A week of work orders for the demo, made through the same services the channels and pages use.

Texts, people and outcomes come from the seed; the times are relative to `now` (the moment the demo is
loaded) so that queues, countdowns and the morning meeting look alive whenever someone opens the demo.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from guanjia.estates.models import Estate
from guanjia.intake.services import request_intake
from guanjia.org.models import Staff
from guanjia.org.roles import Role
from guanjia.people.models import Occupancy
from guanjia.tickets.models import Callback, State, Ticket
from guanjia.tickets.services import (
    callback_record,
    clock_sweep,
    ticket_accept,
    ticket_arrive,
    ticket_dispatch,
    ticket_rate,
    ticket_resolve,
)

MESSAGES = (
    ("front_desk", "厨房水槽下水道堵了，水下不去"),
    ("hotline", "喂 你好 我家卫生间 那个 水管 在漏水 嗯 滴滴答答的"),
    ("app", "客厅顶灯不亮了，换了灯泡也不行"),
    ("wechat", "楼道灯坏了好几天了😓晚上黑乎乎的"),
    ("app", "阳台推拉门轨道坏了，关不上"),
    ("wechat", "单元门禁刷卡没反应，进不去"),
    ("hotline", "那个 家里 突然 跳闸 了 全屋 没电"),
    ("front_desk", "业主反映楼上装修中午还在电钻，影响休息"),
    ("app", "小区东门垃圾桶满了没人清，味道很大"),
    ("wechat", "请问物业费可以开电子发票吗？"),
    ("app", "想问下装修押金什么时候能退？"),
    ("front_desk", "业主咨询车位租赁的价格和手续"),
    ("hotline", "草坪好久没修剪了，蚊子特别多"),
    ("wechat", "地下车库有车占了我的车位，联系不上车主"),
    ("app", "晚上十一点楼上还在蹦迪，太吵了"),
    ("email", "您好，我家次卧墙面出现裂缝，请安排人员查看。"),
    ("app", "谢谢王师傅，下水道修得很快！"),
    ("front_desk", "建议小区儿童游乐区加装遮阳棚"),
    ("wechat", "有人遛狗不牵绳，孩子被吓哭了"),
    ("hotline", "空调外机 滴水 滴到 楼下 阳台 了"),
)
EMERGENCIES = (
    ("hotline", "3栋电梯卡在8楼了，里面有人，快来人！"),
    ("wechat", "家里一股煤气味，不敢开灯"),
    ("app", "水管爆了，水从天花板往下灌"),
)
# How far each ticket gets, by its age: older tickets are further along, a few are stuck.
FLOW = ("new", "assigned", "accepted", "in_progress", "resolved", "closed", "closed", "closed")


def _pick_staff(estate: Estate, kind: str, roles: tuple[str, ...]) -> list[Staff]:
    return list(
        Staff.objects.filter(estates=estate, active=True, role__in=roles, department__kind=kind).select_related("user")
    )


def _advance(ticket: Ticket, *, goal: str, desk: Staff, rng: random.Random, at: datetime) -> None:
    workers = _pick_staff(
        ticket.estate,
        ticket.department.kind if ticket.department else "customer_service",
        (Role.TECHNICIAN, Role.SECURITY_OFFICER, Role.CLEANER, Role.COMPLAINT_HANDLER, Role.FRONT_DESK),
    )
    if goal == "new" or not workers or ticket.state != State.NEW:
        return
    step = timedelta(minutes=rng.randint(5, 40))
    worker = rng.choice(workers)
    ticket = ticket_dispatch(
        ticket=ticket, assignee=worker, user=desk.user, version=ticket.version, channel="front_desk", now=at + step
    )
    if goal == "assigned":
        return
    ticket = ticket_accept(ticket=ticket, user=worker.user, version=ticket.version, channel="app", now=at + 2 * step)
    if goal == "accepted":
        return
    ticket = ticket_arrive(ticket=ticket, user=worker.user, version=ticket.version, channel="app", now=at + 3 * step)
    if goal == "in_progress":
        return
    ticket = ticket_resolve(
        ticket=ticket,
        user=worker.user,
        version=ticket.version,
        channel="app",
        work_done=rng.choice(("已处理完毕", "更换配件后恢复正常", "现场疏通完成", "已与业主沟通解决")),
        now=at + 5 * step,
    )
    if ticket.requester_id:
        score = rng.choice((5, 5, 5, 4, 4, 3))
        ticket_rate(
            ticket=ticket,
            user=desk.user,
            speed=score,
            professionalism=max(score, 4),
            attitude=5,
            channel="hotline",
            now=at + 6 * step,
        )
    if goal == "resolved":
        return
    callback = ticket.callbacks.get(outcome=Callback.Outcome.PENDING)
    callback_record(
        callback=callback,
        user=desk.user,
        outcome="satisfied",
        notes="业主表示满意",
        version=ticket.version,
        channel="hotline",
        now=at + 8 * step,
    )


def demo_tickets_load(*, seed: int, now: datetime | None = None, per_estate: int = 40) -> int:
    """About `per_estate` tickets in each estate over the past week; returns how many were made."""
    now = now or timezone.now()
    rng = random.Random(seed)
    made = 0
    for estate in Estate.objects.order_by("code"):
        desk = Staff.objects.filter(estates=estate, role=Role.FRONT_DESK, active=True).select_related("user").first()
        homes = list(
            Occupancy.objects.filter(estate=estate, moved_out_on__isnull=True, relation="owner")
            .select_related("resident", "unit")
            .order_by("id")[:400]
        )
        if desk is None or not homes:
            continue
        with transaction.atomic():
            for i in range(per_estate):
                age = timedelta(minutes=rng.randint(10, 7 * 24 * 60))
                channel, text = rng.choice(EMERGENCIES if i % 13 == 0 else MESSAGES)
                home = rng.choice(homes)
                at = now - age
                outcome = request_intake(
                    estate=estate,
                    text=text,
                    channel=channel,
                    user=desk.user,
                    requester=home.resident,
                    unit=home.unit,
                    now=at,
                )
                if outcome.created:
                    made += 1
                    goal = FLOW[min(len(FLOW) - 1, int(age / timedelta(days=7) * len(FLOW)) + rng.randint(-1, 1))]
                    _advance(outcome.ticket, goal=goal, desk=desk, rng=rng, at=at)
    clock_sweep(now=now, batch=10_000)
    return made
