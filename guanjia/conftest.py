"""Shared personas. Each says which estate it belongs to and what it may do."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from guanjia.estates.models import Building, Company, Estate, Unit
from guanjia.org.models import Department
from guanjia.org.roles import Role
from guanjia.org.services import staff_create
from guanjia.people.models import Occupancy
from guanjia.people.services import resident_create
from guanjia.tickets.services import ticket_create
from guanjia.tickets.taxonomy import Category, RequestType, Urgency

PASSWORD = "correct-horse-battery-9"


def make_unit(building: Building, *, entrance: str, number: str, floor: int) -> Unit:
    return Unit.objects.create(
        estate=building.estate, building=building, entrance=entrance, number=number, floor=floor, area=Decimal("98.50")
    )


def make_staff(username: str, name: str, *, role: str, estates: list[Estate]):
    seq = make_staff.counter = getattr(make_staff, "counter", 0) + 1
    return staff_create(
        username=username, name=name, employee_no=f"E{seq:05d}", role=role, estates=estates, password=PASSWORD
    )


@pytest.fixture
def world(db):
    """Two estates. 和悦家园 (HY) with its desk and its residents; 环球中心 (HQ) with a desk that must see
    nothing of HY."""
    company = Company.objects.create(name="和悦物业")
    hy = Estate.objects.create(company=company, code="HY", name="和悦家园", kind=Estate.Kind.RESIDENTIAL)
    tower = Estate.objects.create(company=company, code="HQ", name="环球中心", kind=Estate.Kind.OFFICE)
    b3 = Building.objects.create(estate=hy, code="3", name="3栋", floors=25)
    t1 = Building.objects.create(estate=tower, code="T1", name="T1塔楼", use=Building.Use.OFFICE, floors=40)
    hy_3_2_1102 = make_unit(b3, entrance="2", number="1102", floor=11)
    hy_3_1_0501 = make_unit(b3, entrance="1", number="0501", floor=5)
    t1_2305 = make_unit(t1, entrance="", number="2305", floor=23)

    w = SimpleNamespace(company=company, hy=hy, tower=tower, hy_3_2_1102=hy_3_2_1102, hy_3_1_0501=hy_3_1_0501)
    w.t1_2305 = t1_2305
    w.wang = make_staff("wanglei", "王磊", role=Role.FRONT_DESK, estates=[hy])  # front desk, HY: may reveal PII
    w.li = make_staff("liqiang", "李强", role=Role.TECHNICIAN, estates=[hy])  # technician, HY: masked only
    w.zhao = make_staff("zhaomin", "赵敏", role=Role.FRONT_DESK, estates=[tower])  # front desk, HQ: nothing of HY
    w.boss = make_staff("sunli", "孙丽", role=Role.COMPANY_ADMIN, estates=[])  # company admin: every estate
    w.chen = resident_create(  # owner of HY 3-2-1102, with a portal login
        estate=hy, name="陈静", phone="138 1234 5678", id_number="11010519491231002X", unit=hy_3_2_1102
    )
    w.chen_member = resident_create(
        estate=hy, name="陈小明", phone="13912340001", unit=hy_3_2_1102, relation=Occupancy.Relation.MEMBER
    )
    w.zhou = resident_create(estate=hy, name="周建国", phone="15800005678", unit=hy_3_1_0501)
    w.hq_tenant = resident_create(
        estate=tower, name="陈国华", phone="18600001111", unit=t1_2305, relation=Occupancy.Relation.TENANT
    )
    from django.contrib.auth import get_user_model

    owner_user = get_user_model().objects.create_user("chenjing", password=PASSWORD)
    w.chen.user = owner_user
    w.chen.save(update_fields=["user"])
    w.chen_user = owner_user
    return w


def api_client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


# --- Work orders: HY's departments and its escalation chain, with time frozen ---------------------

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
