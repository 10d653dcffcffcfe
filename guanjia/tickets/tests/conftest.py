"""Ticket personas on top of the shared world: HY's departments and its escalation chain."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from guanjia.conftest import make_staff
from guanjia.org.models import Department
from guanjia.org.roles import Role
from guanjia.tickets.services import ticket_create
from guanjia.tickets.taxonomy import Category, RequestType, Urgency

SH = ZoneInfo("Asia/Shanghai")
# A Monday morning in Shanghai; the named instant every clock test starts from.
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=SH)


@pytest.fixture
def clock():
    """Time stands still at MONDAY_9 until a test moves it (clock.move_to / clock.shift)."""
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hy(world, clock):
    depts = {kind: Department.objects.create(estate=world.hy, kind=kind) for kind in Department.Kind.values}
    world.li.department = depts["engineering"]  # technician 李强, engineering
    world.li.skills = "水电,给排水"
    world.li.save()
    world.wang.department = depts["customer_service"]
    world.wang.save()
    people = SimpleNamespace(world=world, depts=depts)
    people.sup = make_staff("zhuguan", "周主管", role=Role.SUPERVISOR, estates=[world.hy])  # escalation level 1
    people.centre = make_staff("jingli", "吴经理", role=Role.CENTRE_MANAGER, estates=[world.hy])  # level 2
    people.estate_mgr = make_staff("xiangmu", "郑总", role=Role.ESTATE_MANAGER, estates=[world.hy])  # level 3
    people.liaison = make_staff("gongcheng", "冯工", role=Role.ENGINEERING_LIAISON, estates=[world.hy])
    people.tech2 = make_staff("tech2", "褚师傅", role=Role.TECHNICIAN, estates=[world.hy])
    people.tech2.department = depts["engineering"]
    people.tech2.skills = "电梯"
    people.tech2.save()
    return people


def new_repair(world, *, urgency=Urgency.NORMAL, category=Category.WATER, now=None, **kw):
    return ticket_create(
        estate=world.hy,
        request_type=kw.pop("request_type", RequestType.REPAIR),
        category=category,
        urgency=urgency,
        description=kw.pop("description", "厨房水管漏水"),
        channel=kw.pop("channel", "front_desk"),
        user=kw.pop("user", world.wang.user),
        unit=kw.pop("unit", world.hy_3_2_1102),
        requester=kw.pop("requester", world.chen),
        now=now,
        **kw,
    )
