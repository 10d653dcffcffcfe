"""Staff and rosters: departments, one account per post, shifts, and who is on duty each day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from guanjia.estates.models import Estate
from guanjia.org.models import Department, DutyAssignment, Shift, Staff
from guanjia.org.roles import Role
from guanjia.org.services import staff_create
from guanjia.people.pii import normalise_phone
from guanjia.web.demo.constants import BATCH, DEMO_PASSWORD
from guanjia.web.demo.layout import demo_layout
from guanjia.web.demo.people import People

# The roster covers a fixed season (so the same seed gives the same rows) that includes the demo's "now".
ROSTER_FIRST = date(2026, 10, 25)
ROSTER_DAYS = 127  # through 2027-02-28

# (role, department, how many at 和悦家园, at 环球金融中心, at 万象汇). Rosters need at least four
# front-desk clerks, technicians and security officers per estate to cover 7×24 in four teams.
STAFFING: tuple[tuple[Role, str | None, int, int, int], ...] = (
    (Role.ESTATE_MANAGER, None, 1, 1, 1),
    (Role.CENTRE_MANAGER, Department.Kind.CUSTOMER_SERVICE, 1, 1, 1),
    (Role.SUPERVISOR, Department.Kind.CUSTOMER_SERVICE, 2, 1, 2),
    (Role.FRONT_DESK, Department.Kind.CUSTOMER_SERVICE, 6, 4, 5),
    (Role.COMPLAINT_HANDLER, Department.Kind.CUSTOMER_SERVICE, 2, 1, 1),
    (Role.ENGINEERING_LIAISON, Department.Kind.CUSTOMER_SERVICE, 2, 1, 1),
    (Role.TECHNICIAN, Department.Kind.ENGINEERING, 8, 5, 6),
    (Role.SECURITY_OFFICER, Department.Kind.SECURITY, 16, 8, 12),
    (Role.CLEANER, Department.Kind.ENVIRONMENT, 12, 6, 8),
    (Role.ANALYST, Department.Kind.FINANCE, 2, 1, 1),  # 财务 staff read reports, never PII
)
TECH_SKILLS = (
    "水电,电梯",
    "强电,配电",
    "暖通,空调",
    "弱电,门禁,监控",
    "水电,管道",
    "消防,弱电",
    "土建,防水",
    "电梯,水泵",
)
ROLE_SKILLS = {
    Role.SECURITY_OFFICER: ("巡逻,消防", "门岗,车辆管理", "监控中心", "巡逻,急救"),
    Role.CLEANER: ("保洁", "保洁,垃圾分类", "绿化", "外墙清洗"),
    Role.COMPLAINT_HANDLER: ("投诉处理,回访",),
    Role.ENGINEERING_LIAISON: ("报修派单,回访",),
}


@dataclass(frozen=True)
class _ShiftSpec:
    name: str
    starts: time
    ends: time


SHIFTS = (
    _ShiftSpec("保洁班", time(7, 0), time(16, 0)),
    _ShiftSpec("白班", time(8, 0), time(20, 0)),
    _ShiftSpec("客服早班", time(8, 30), time(17, 30)),
    _ShiftSpec("行政班", time(9, 0), time(18, 0)),
    _ShiftSpec("客服夜班", time(17, 30), time(8, 30)),
    _ShiftSpec("夜班", time(20, 0), time(8, 0)),
)
# Four teams rotate through a four-day cycle; None is a rest day.
SECURITY_CYCLE = ("白班", "夜班", None, None)
TECHNICIAN_CYCLE = ("白班", "白班", "夜班", None)  # the night is on call, not on site
FRONT_DESK_CYCLE = ("客服早班", "客服早班", "客服夜班", None)


def staff_username(estate_code: str, role: str, n: int) -> str:
    return f"{estate_code.lower()}-{role.replace('_', '-')}-{n}"


def staff_usernames() -> list[str]:
    """Every demo account, for the conflict check before loading."""
    names = [
        staff_username(code, role, n)
        for column, code in enumerate(spec.code for spec in demo_layout())
        for role, _, *per in STAFFING
        for n in range(1, per[column] + 1)
    ]
    return [*names, "company-admin", "analyst"]


def login_usernames() -> dict[str, str]:
    """The one login shown per role: 和悦家园's first of each, and the two company-wide accounts."""
    usernames = {role: staff_username("HY", role, 1) for role, *_ in STAFFING}
    usernames[Role.ANALYST] = "analyst"
    usernames[Role.COMPANY_ADMIN] = "company-admin"
    return {role.value: usernames[role] for role in Role}


def staff_and_rosters_create(*, people: People, estates: list[Estate]) -> None:
    staff: list[Staff] = []
    by_estate: dict[int, list[Staff]] = {}
    for column, estate in enumerate(estates):
        departments = {kind: Department(estate=estate, kind=kind, phone=people.landline()) for kind in Department.Kind}
        Department.objects.bulk_create(list(departments.values()))
        seq = 0
        for role, department, *per_estate in STAFFING:
            for n in range(1, per_estate[column] + 1):
                seq += 1
                male = people.rng.random() < (0.75 if role in (Role.SECURITY_OFFICER, Role.TECHNICIAN) else 0.45)
                skills = ""
                if role == Role.TECHNICIAN:
                    skills = TECH_SKILLS[(n - 1) % len(TECH_SKILLS)]
                elif role in ROLE_SKILLS:
                    skills = people.rng.choice(ROLE_SKILLS[role])
                member = staff_create(
                    username=staff_username(estate.code, role, n),
                    name=people.name(male=male),
                    employee_no=f"{estate.code}{seq:03d}",
                    role=role,
                    estates=[estate],
                    department=departments[department] if department else None,
                    phone=normalise_phone(people.mobile()),
                    skills=skills,
                    check_password=False,
                )
                staff.append(member)
                by_estate.setdefault(estate.pk, []).append(member)
    for n, (role, username) in enumerate(((Role.COMPANY_ADMIN, "company-admin"), (Role.ANALYST, "analyst")), 1):
        male = people.rng.random() < 0.5
        staff.append(
            staff_create(
                username=username,
                name=people.name(male=male),
                employee_no=f"GS{n:03d}",
                role=role,
                estates=estates,
                phone=normalise_phone(people.mobile()),
                check_password=False,
            )
        )
    # One hash for every demo account: hashing ~120 times would take a minute at production cost.
    get_user_model().objects.filter(pk__in=[s.user_id for s in staff]).update(password=make_password(DEMO_PASSWORD))

    for estate in estates:
        shifts = {
            s.name: s
            for s in Shift.objects.bulk_create(
                [Shift(estate=estate, name=s.name, starts_at=s.starts, ends_at=s.ends) for s in SHIFTS]
            )
        }
        DutyAssignment.objects.bulk_create(
            _roster(estate=estate, staff=by_estate[estate.pk], shifts=shifts), batch_size=BATCH
        )


def _roster(*, estate: Estate, staff: list[Staff], shifts: dict[str, Shift]) -> list[DutyAssignment]:
    """ROSTER_DAYS from ROSTER_FIRST; security, engineering and the front desk cover every hour."""
    first = ROSTER_FIRST
    rows: list[DutyAssignment] = []
    index: dict[str, int] = {}
    for member in staff:
        i = index[member.role] = index.get(member.role, -1) + 1
        for offset in range(ROSTER_DAYS):
            day = first + timedelta(days=offset)
            # The cycle runs on the calendar, not the roster window, so any window agrees.
            d = day.toordinal()
            name, on_call = None, False
            if member.role == Role.SECURITY_OFFICER:
                name = SECURITY_CYCLE[(d + i) % 4]
            elif member.role == Role.TECHNICIAN:
                name = TECHNICIAN_CYCLE[(d + i) % 4]
                on_call = name == "夜班"
            elif member.role == Role.FRONT_DESK:
                name = FRONT_DESK_CYCLE[(d + i) % 4]
            elif member.role in (Role.SUPERVISOR, Role.COMPLAINT_HANDLER, Role.ENGINEERING_LIAISON):
                name = None if (d + 3 * i) % 7 >= 5 else "客服早班"
            elif member.role == Role.CLEANER:
                name = None if (d + i) % 7 == 6 else "保洁班"
            elif day.weekday() < 5:  # managers and finance keep office hours
                name = "行政班"
            if name:
                rows.append(DutyAssignment(estate=estate, staff=member, shift=shifts[name], date=day, on_call=on_call))
    return rows
