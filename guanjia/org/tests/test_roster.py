"""Who is on duty now: day shifts, night shifts that run past midnight, and on-call staff."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from guanjia.conftest import make_staff
from guanjia.org.models import DutyAssignment, Shift
from guanjia.org.roles import Role
from guanjia.org.selectors import staff_on_duty

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def roster(world):
    day = Shift.objects.create(estate=world.hy, name="白班", starts_at=time(8), ends_at=time(20))
    night = Shift.objects.create(estate=world.hy, name="夜班", starts_at=time(20), ends_at=time(8))
    tech_day = make_staff("tech_day", "马师傅", role=Role.TECHNICIAN, estates=[world.hy])
    tech_night = make_staff("tech_night", "朱师傅", role=Role.TECHNICIAN, estates=[world.hy])
    for staff, shift in [(tech_day, day), (tech_night, night)]:
        DutyAssignment.objects.create(estate=world.hy, staff=staff, shift=shift, date=date(2026, 11, 22))
    return tech_day, tech_night


def names_on_duty(world, at):
    return sorted(s.name for s in staff_on_duty(estate=world.hy, at=at))


@pytest.mark.django_db
def test_day_shift_covers_the_afternoon(world, roster):
    assert names_on_duty(world, datetime(2026, 11, 22, 15, 0, tzinfo=SH)) == ["马师傅"]


@pytest.mark.django_db
def test_night_shift_covers_the_evening_and_the_small_hours_of_the_next_day(world, roster):
    assert names_on_duty(world, datetime(2026, 11, 22, 23, 30, tzinfo=SH)) == ["朱师傅"]
    assert names_on_duty(world, datetime(2026, 11, 23, 3, 0, tzinfo=SH)) == ["朱师傅"]


@pytest.mark.django_db
def test_nobody_is_on_duty_when_the_roster_has_a_gap(world, roster):
    assert names_on_duty(world, datetime(2026, 11, 23, 9, 0, tzinfo=SH)) == []


@pytest.mark.django_db
def test_other_estates_roster_does_not_count(world, roster):
    assert list(staff_on_duty(estate=world.tower, at=datetime(2026, 11, 22, 15, 0, tzinfo=SH))) == []
