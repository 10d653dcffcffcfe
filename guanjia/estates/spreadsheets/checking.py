"""Every row checked against the estate and the rest of the file, into a plan for the write.

Edge cases:
- a building that already exists in the estate may be referenced from the 房屋 sheet, but listing it
  again in the 楼栋 sheet is a duplicate;
- one person (same name and phone) on several rows becomes one resident with several homes; a
  person already on file in the estate gets the new homes, their profile is not changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _

from guanjia.estates.models import Building, Estate, Unit
from guanjia.estates.selectors import parse_unit_code
from guanjia.estates.spreadsheets.cells import (
    _area,
    _choice,
    _choice_lookup,
    _code,
    _date,
    _id_number,
    _integer,
    _optional_code,
    _optional_text,
    _phone,
    _required_code,
    _required_text,
    _Row,
    _text,
    _yes_no,
)
from guanjia.estates.spreadsheets.columns import SHEET_BUILDINGS, SHEET_RESIDENTS, SHEET_UNITS
from guanjia.estates.spreadsheets.reading import RowError
from guanjia.people.models import Occupancy, Resident
from guanjia.people.services import resident_fill_derived

if TYPE_CHECKING:
    from guanjia.estates.spreadsheets.importing import _Ticker


@dataclass
class _PlannedOccupancy:
    row: int
    resident_key: tuple[str, str]
    existing_resident_id: int | None
    unit_code: str
    relation: str
    moved_in_on: date | None


@dataclass
class _Plan:
    buildings: list[Building] = field(default_factory=list)
    units: list[tuple[str, Unit]] = field(default_factory=list)  # (building code, unit)
    residents: dict[tuple[str, str], Resident] = field(default_factory=dict)  # (name, phone) → new resident
    occupancies: list[_PlannedOccupancy] = field(default_factory=list)


class _Checker:
    """Checks every row against the estate and the rest of the file, collecting all errors.

    A code that appears in the file counts as present even when its own row is wrong, so one bad
    building row yields one error rather than one more for each of its units.
    """

    def __init__(self, *, estate: Estate, ticker: _Ticker) -> None:
        self.estate, self.ticker = estate, ticker
        self.errors: list[RowError] = []
        self.plan = _Plan()
        # Codes are compared upper-cased; these map that form back to the code as stored.
        self.db_buildings = {
            code.upper(): code for code in Building.objects.filter(estate=estate).values_list("code", flat=True)
        }
        self.db_units = {
            code.upper(): code for code in Unit.objects.filter(estate=estate).values_list("code", flat=True)
        }
        self.resident_ids = {
            (name, phone): pk
            for pk, name, phone in Resident.objects.filter(estate=estate).values_list("pk", "name", "phone")
        }
        self.current_homes = set(
            Occupancy.objects.filter(estate=estate, moved_out_on__isnull=True).values_list("resident_id", "unit__code")
        )
        self.file_buildings: set[str] = set()
        self.file_units: dict[str, str] = {}
        self.first_rows: dict[tuple[str, ...], int] = {}
        with translation.override("zh-hans"):
            self.building_uses = _choice_lookup(Building.Use)
            self.unit_uses = _choice_lookup(Unit.Use)
            self.relations = _choice_lookup(Occupancy.Relation)

    def run(self, rows: dict[str, list[_Row]]) -> _Plan:
        # The building and unit sheets are read first in full so later sheets may refer to any row.
        for row in rows[SHEET_BUILDINGS]:
            if code := _code(row["楼栋编号"]):
                self.file_buildings.add(code)
        for row in rows[SHEET_UNITS]:
            building_code, number = self._building_code(_code(row["楼栋编号"])), _code(row["房号"])
            if building_code and number:
                code = Unit.make_code(building_code=building_code, entrance=_code(row["单元"]), number=number)
                self.file_units[code.upper()] = code
        self._check(rows[SHEET_BUILDINGS], SHEET_BUILDINGS, self._building)
        self._check(rows[SHEET_UNITS], SHEET_UNITS, self._unit)
        self._check(rows[SHEET_RESIDENTS], SHEET_RESIDENTS, self._resident)
        return self.plan

    def _check(self, rows: Iterable[_Row], sheet: str, check: Callable[[_Row, Callable[[str], None]], None]) -> None:
        for row in rows:

            def fail(message: str, row: _Row = row) -> None:
                self.errors.append(RowError(sheet, row.number, message))

            check(row, fail)
            self.ticker.tick()

    # 楼栋 -------------------------------------------------------------------------------------

    def _building(self, row: _Row, fail: Callable[[str], None]) -> None:
        before = len(self.errors)
        code = _required_code(row, "楼栋编号", Building._meta.get_field("code").max_length, fail)
        name = _required_text(row, "楼栋名称", Building._meta.get_field("name").max_length, fail)
        use = _choice(row, "用途", self.building_uses, Building.Use.RESIDENTIAL, fail)
        floors = _integer(row, "地上层数", default=1, minimum=0, maximum=32767, fail=fail)
        if code:
            if code in self.db_buildings:
                fail(_("楼栋 %(code)s 已存在于本项目，请勿重复导入（房屋表可直接引用已有楼栋）") % {"code": code})
            elif first := self._seen(("building", code), row.number):
                fail(_("楼栋编号 %(code)s 重复（与第 %(row)d 行相同）") % {"code": code, "row": first})
        if len(self.errors) == before:
            self.plan.buildings.append(Building(estate=self.estate, code=code, name=name, use=use, floors=floors))

    # 房屋 -------------------------------------------------------------------------------------

    def _unit(self, row: _Row, fail: Callable[[str], None]) -> None:
        before = len(self.errors)
        building_code = self._building_code(
            _required_code(row, "楼栋编号", Building._meta.get_field("code").max_length, fail)
        )
        entrance = _optional_code(row, "单元", Unit._meta.get_field("entrance").max_length, fail)
        floor = _integer(row, "楼层", default=None, minimum=-32768, maximum=32767, fail=fail)
        number = _required_code(row, "房号", Unit._meta.get_field("number").max_length, fail)
        area = _area(row, fail)
        use = _choice(row, "用途", self.unit_uses, Unit.Use.RESIDENCE, fail)
        if (
            building_code
            and building_code.upper() not in self.db_buildings
            and building_code not in self.file_buildings
        ):
            fail(_("楼栋 %(code)s 不存在：请先在“楼栋”表中添加，或检查楼栋编号") % {"code": building_code})
        code = ""
        if building_code and number:
            code = Unit.make_code(building_code=building_code, entrance=entrance, number=number)
            if len(code) > Unit._meta.get_field("code").max_length:
                fail(_("房屋编码 %(code)s 过长") % {"code": code})
            elif code.upper() in self.db_units:
                fail(_("房屋 %(code)s 已存在于本项目") % {"code": code})
            elif first := self._seen(("unit", code), row.number):
                fail(_("房屋 %(code)s 重复（与第 %(row)d 行相同）") % {"code": code, "row": first})
        if len(self.errors) == before:
            unit = Unit(estate=self.estate, entrance=entrance, floor=floor, number=number, area=area, use=use)
            unit.code = code  # bulk_create skips Unit.save(), which would set it
            self.plan.units.append((building_code, unit))

    # 住户 -------------------------------------------------------------------------------------

    def _resident(self, row: _Row, fail: Callable[[str], None]) -> None:
        before = len(self.errors)
        raw_code = _text(row["房屋编码"])
        unit_code = (parse_unit_code(raw_code) or raw_code.upper()) if raw_code else ""
        unit_code = self.db_units.get(unit_code) or self.file_units.get(unit_code) or unit_code
        if not unit_code:
            fail(_("“房屋编码”不能为空"))
        elif unit_code.upper() not in self.file_units and unit_code.upper() not in self.db_units:
            fail(_("房屋 %(code)s 不存在：请先在“房屋”表中添加，或检查房屋编码") % {"code": unit_code})
        name = _required_text(row, "姓名", Resident._meta.get_field("name").max_length, fail)
        phone = _phone(row, "手机号", required=True, fail=fail)
        relation = _choice(row, "身份", self.relations, None, fail)
        id_number = _id_number(row, fail)
        moved_in_on = _date(row, "入住日期", fail)
        is_vip = _yes_no(row, "VIP", fail)
        lives_alone = _yes_no(row, "独居老人", fail)
        contact_name = _optional_text(
            row, "紧急联系人", Resident._meta.get_field("emergency_contact_name").max_length, fail
        )
        contact_phone = _phone(row, "紧急联系人电话", required=False, fail=fail)
        if len(self.errors) > before:
            return
        key = (name, phone)
        existing_id = self.resident_ids.get(key)
        if existing_id is not None and (existing_id, unit_code) in self.current_homes:
            fail(_("%(name)s 已登记在房屋 %(code)s") % {"name": name, "code": unit_code})
            return
        if first := self._seen(("home", name, phone, unit_code), row.number):
            fail(
                _("%(name)s 在房屋 %(code)s 重复登记（与第 %(row)d 行相同）")
                % {"name": name, "code": unit_code, "row": first}
            )
            return
        if existing_id is None:
            resident = self.plan.residents.get(key)
            if resident is None:
                resident = Resident(
                    estate=self.estate,
                    name=name,
                    phone=phone,
                    id_number=id_number,
                    is_vip=is_vip,
                    lives_alone_elderly=lives_alone,
                    emergency_contact_name=contact_name,
                    emergency_contact_phone=contact_phone,
                )
                self.plan.residents[key] = resident_fill_derived(resident)
            elif id_number and resident.id_number and id_number != resident.id_number:
                fail(_("%(name)s 的身份证号与前面的行不一致") % {"name": name})
                return
        self.plan.occupancies.append(
            _PlannedOccupancy(
                row=row.number,
                resident_key=key,
                existing_resident_id=existing_id,
                unit_code=unit_code,
                relation=relation,
                moved_in_on=moved_in_on,
            )
        )

    def _building_code(self, code: str) -> str:
        """An existing building's code as stored, so new unit codes match what Unit.save() would make."""
        return self.db_buildings.get(code, code)

    def _seen(self, key: tuple[str, ...], number: int) -> int | None:
        """The row where `key` was first seen, or None (and remember this row) if it is new."""
        first = self.first_rows.setdefault(key, number)
        return first if first != number else None
