"""Seeding the holiday table from chinese-calendar; admins add later years by hand."""

from __future__ import annotations

CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def holiday_rows() -> tuple[list[tuple], set[int]]:
    """(date, Chinese name, is_working_day) for every special day chinese-calendar knows, and its years."""
    from chinese_calendar import constants

    rows = [(d, CHINESE_NAMES.get(str(n), str(n)), False) for d, n in constants.holidays.items()]
    rows += [(d, f"{CHINESE_NAMES.get(str(n), str(n))}调休", True) for d, n in constants.workdays.items()]
    years = {d.year for d, _n, _w in rows}
    return rows, years
