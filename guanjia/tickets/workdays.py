"""Working-day arithmetic for statutory limits: weekends and official holidays, from the Holiday table.

The table is seeded from chinese-calendar (which knows years up to 2026) and kept by an admin when the
State Council publishes the next year's holidays. For a year nobody has entered, we count weekends
only and say so, rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from guanjia.tickets.models import Holiday, HolidayYear

LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class WorkingDayResult:
    due: datetime
    warning: str  # empty when every year involved has a known holiday calendar


def _calendar(years: set[int]) -> tuple[dict[date, bool], set[int]]:
    known = set(HolidayYear.objects.filter(year__in=years).values_list("year", flat=True))
    days = dict(Holiday.objects.filter(date__year__in=years).values_list("date", "is_working_day"))
    return days, years - known


def is_working_day(day: date, special: dict[date, bool]) -> bool:
    if day in special:
        return special[day]  # a holiday (False) or a weekend made a working day (True)
    return day.weekday() < 5


def add_working_days(start: datetime, days: int) -> WorkingDayResult:
    """The end of the `days`-th working day after `start` (Asia/Shanghai), the day of `start` not counted."""
    local = start.astimezone(LOCAL).date()
    # A statutory limit of 30 working days spans under two months; fetch the years it may touch once.
    years = {local.year, (local + timedelta(days=days * 2 + 30)).year}
    special, unknown = _calendar(years)
    day, counted = local, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, special):
            counted += 1
    unknown_touched = sorted(y for y in unknown if local.year <= y <= day.year)
    warning = ""
    if unknown_touched:
        warning = _("%(years)s 年的法定节假日尚未录入，工作日仅按周末计算") % {
            "years": "、".join(str(y) for y in unknown_touched)
        }
    due = datetime.combine(day, time(23, 59, 59), tzinfo=LOCAL)
    return WorkingDayResult(due=due, warning=warning)


def end_of_local_day(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(LOCAL).date(), time(23, 59, 59), tzinfo=LOCAL)
