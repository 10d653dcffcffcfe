"""`demo_load`: the order the demo company is built in, and the logins it prints.

Every builder draws from the one `random.Random(seed)`, so the order of the calls in `_build` is part
of the data: move one and the same seed gives a different company.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from guanjia.estates.models import Company, Estate
from guanjia.org.models import Staff
from guanjia.org.roles import Role
from guanjia.web.demo.constants import DEMO_COMPANY, DEMO_PASSWORD, DEMO_SEED
from guanjia.web.demo.equipment import EquipmentBuilder
from guanjia.web.demo.estates import buildings_create, common_areas_create, parking_create, units_create
from guanjia.web.demo.layout import demo_layout
from guanjia.web.demo.people import People
from guanjia.web.demo.residents import ResidentBuilder
from guanjia.web.demo.staff import login_usernames, staff_and_rosters_create, staff_usernames


class DemoConflict(Exception):
    """Demo codes or usernames are already taken by other data; loading would mix the two."""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    role_label: str
    username: str
    password: str
    estates: tuple[str, ...]


@dataclass(frozen=True)
class DemoLogins:
    """One login per role; `created` is False when the demo company was already there."""

    logins: tuple[DemoLogin, ...]
    created: bool

    def __iter__(self) -> Iterator[DemoLogin]:
        return iter(self.logins)

    def __len__(self) -> int:
        return len(self.logins)


def _build(*, seed: int, scale: float) -> None:
    people = People(random.Random(seed))
    residents = ResidentBuilder(people)
    equipment = EquipmentBuilder(people)
    company = Company.objects.create(name=DEMO_COMPANY)
    estates: list[Estate] = []
    for spec in demo_layout(scale=scale):
        estate = Estate.objects.create(
            company=company,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            address=spec.address,
            city=spec.city,
        )
        buildings = buildings_create(estate=estate, spec=spec)
        units = units_create(rng=people.rng, estate=estate, spec=spec, buildings=buildings)
        residents.build(estate=estate, spec=spec, units=units)
        parking_create(rng=people.rng, estate=estate, spec=spec)
        common_areas_create(estate=estate, spec=spec, buildings=buildings)
        equipment.build(estate=estate, spec=spec, buildings=buildings)
        estates.append(estate)
    staff_and_rosters_create(people=people, estates=estates)


def _logins() -> DemoLogins:
    usernames = login_usernames()
    found = {
        s.user.username: s
        for s in Staff.objects.filter(user__username__in=usernames.values())
        .select_related("user")
        .prefetch_related("estates")
    }
    labels = dict(Role.choices)
    logins = []
    for role, username in usernames.items():
        member = found.get(username)
        if member is None:
            continue
        logins.append(
            DemoLogin(
                role=role,
                role_label=str(labels[role]),
                username=username,
                password=DEMO_PASSWORD,
                estates=tuple(e.name for e in sorted(member.estates.all(), key=lambda e: e.pk)),
            )
        )
    return DemoLogins(logins=tuple(logins), created=False)


def demo_load(*, seed: int = DEMO_SEED, scale: float = 1.0) -> DemoLogins:
    """Load the demo company; if it is already there, change nothing and return its logins.

    Raises DemoConflict when its estate codes or usernames belong to other data, and ValueError for
    a scale that is not positive.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    if Company.objects.filter(name=DEMO_COMPANY).exists():
        return _logins()
    codes = [spec.code for spec in demo_layout(scale=scale)]
    taken = list(Estate.objects.filter(code__in=codes).values_list("code", flat=True))
    taken += get_user_model().objects.filter(username__in=staff_usernames()).values_list("username", flat=True)
    if taken:
        raise DemoConflict(f"演示数据与现有数据冲突：{', '.join(sorted(taken))} 已存在")
    with transaction.atomic():
        _build(seed=seed, scale=scale)
    return DemoLogins(logins=_logins().logins, created=True)
