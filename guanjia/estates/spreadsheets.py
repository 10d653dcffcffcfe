"""Buildings, units and residents of one estate to and from an .xlsx workbook.

One format serves the blank template, the import and the export, so an export (made by a role
that may see personal data in clear) imports back into an empty estate unchanged. The estate is
not a column: the whole workbook goes into the estate the user picked.

An import is all or nothing. Every row is checked first and every problem is reported with the row
number Excel shows (the header is row 1); only a clean file is written, in one transaction.
Edge cases:
- a building that already exists in the estate may be referenced from the 房屋 sheet, but listing it
  again in the 楼栋 sheet is a duplicate;
- one person (same name and phone) on several rows becomes one resident with several homes; a
  person already on file in the estate gets the new homes, their profile is not changed;
- the export lists current occupancies only, and a role without Capability.REVEAL_PII gets masked
  phones and ID numbers, which will not import back.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from guanjia.audit.models import AuditEntry
from guanjia.audit.services import audit_record
from guanjia.estates.models import Building, Estate, Unit
from guanjia.estates.selectors import parse_unit_code
from guanjia.org.roles import Capability
from guanjia.org.selectors import user_can
from guanjia.people.models import Occupancy, Resident
from guanjia.people.pii import mask_id_number, mask_phone, national_phone, normalise_id_number, normalise_phone
from guanjia.people.services import REVEALABLE_FIELDS, resident_fill_derived

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
T = TypeVar("T")

# Sheet and column names are the file format, not UI text: translating them would break files
# people have already filled in.
SHEET_BUILDINGS = "楼栋"
SHEET_UNITS = "房屋"
SHEET_RESIDENTS = "住户"
BUILDING_COLUMNS = ("楼栋编号", "楼栋名称", "用途", "地上层数")
UNIT_COLUMNS = ("楼栋编号", "单元", "楼层", "房号", "建筑面积", "用途")
RESIDENT_COLUMNS = (
    "房屋编码",
    "姓名",
    "手机号",
    "身份",
    "身份证号",
    "入住日期",
    "VIP",
    "独居老人",
    "紧急联系人",
    "紧急联系人电话",
)
SHEETS: dict[str, tuple[str, ...]] = {
    SHEET_BUILDINGS: BUILDING_COLUMNS,
    SHEET_UNITS: UNIT_COLUMNS,
    SHEET_RESIDENTS: RESIDENT_COLUMNS,
}
# Typed into Excel as numbers these lose leading zeros (0501) or digits (18-digit ID numbers).
TEXT_COLUMNS = {"楼栋编号", "单元", "房号", "房屋编码", "手机号", "身份证号", "紧急联系人电话"}

PROGRESS_EVERY = 500
BATCH_SIZE = 1000
MAX_ROWS = 50_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_YES = {"是", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "n", "no", "false", "0", ""}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


@dataclass(frozen=True)
class RowError:
    """One problem in the file. `row` is Excel's row number (data starts at 2); None for the whole file/sheet."""

    sheet: str
    row: int | None
    message: str


@dataclass
class ImportResult:
    buildings: int = 0
    units: int = 0
    residents: int = 0
    occupancies: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {
            "buildings": self.buildings,
            "units": self.units,
            "residents": self.residents,
            "occupancies": self.occupancies,
        }

    def errors_as_json(self) -> list[dict[str, Any]]:
        return [asdict(error) for error in self.errors]


# ---------------------------------------------------------------------------------------------
# Template and export
# ---------------------------------------------------------------------------------------------


def workbook_template() -> bytes:
    """The blank workbook: headers, drop-down lists for the coded columns, and a 说明 sheet."""
    return _workbook_bytes(_new_workbook())


def estate_export(*, estate: Estate, user: AbstractBaseUser, channel: str = "") -> bytes:
    """The estate's buildings, units and current residents in the import format; always audited.

    Phones and ID numbers are in clear only for a role with Capability.REVEAL_PII.
    """
    reveal = user_can(user, Capability.REVEAL_PII)
    wb = _new_workbook()
    with translation.override("zh-hans"):
        ws = wb[SHEET_BUILDINGS]
        for building in Building.objects.filter(estate=estate).order_by("code"):
            ws.append([building.code, building.name, str(building.get_use_display()), building.floors])
        ws = wb[SHEET_UNITS]
        for unit in Unit.objects.filter(estate=estate).select_related("building").order_by("code"):
            ws.append(
                [unit.building.code, unit.entrance, unit.floor, unit.number, unit.area, str(unit.get_use_display())]
            )
        ws = wb[SHEET_RESIDENTS]
        occupancies = (
            Occupancy.objects.filter(estate=estate, moved_out_on__isnull=True)
            .select_related("resident", "unit")
            .order_by("unit__code", "pk")
        )
        people = 0
        for occupancy in occupancies:
            people += 1
            resident = occupancy.resident
            phone, contact_phone = resident.phone, resident.emergency_contact_phone
            ws.append(
                [
                    occupancy.unit.code,
                    resident.name,
                    national_phone(phone) if reveal else mask_phone(phone),
                    str(occupancy.get_relation_display()),
                    resident.id_number if reveal else mask_id_number(resident.id_number),
                    occupancy.moved_in_on,
                    "是" if resident.is_vip else "否",
                    "是" if resident.lives_alone_elderly else "否",
                    resident.emergency_contact_name,
                    (national_phone(contact_phone) if reveal else mask_phone(contact_phone)) if contact_phone else "",
                ]
            )
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        obj=estate,
        fields=REVEALABLE_FIELDS if reveal else (),
        reason=_("导出楼栋、房屋和住户（%(n)d 条入住记录）") % {"n": people},
        channel=channel,
    )
    return _workbook_bytes(wb)


def _new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    with translation.override("zh-hans"):
        lists = {
            (SHEET_BUILDINGS, "用途"): [str(label) for _value, label in Building.Use.choices],
            (SHEET_UNITS, "用途"): [str(label) for _value, label in Unit.Use.choices],
            (SHEET_RESIDENTS, "身份"): [str(label) for _value, label in Occupancy.Relation.choices],
            (SHEET_RESIDENTS, "VIP"): ["是", "否"],
            (SHEET_RESIDENTS, "独居老人"): ["是", "否"],
        }
    for title, columns in SHEETS.items():
        ws = wb.create_sheet(title)
        ws.append(list(columns))
        ws.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=index)
            cell.font = Font(bold=True)
            dimension = ws.column_dimensions[cell.column_letter]
            dimension.width = max(12, len(column) * 2 + 4)
            if column in TEXT_COLUMNS:
                dimension.number_format = "@"
            choices = lists.get((title, column))
            if choices:
                validation = DataValidation(type="list", formula1='"{}"'.format(",".join(choices)), allow_blank=True)
                ws.add_data_validation(validation)
                validation.add(f"{cell.column_letter}2:{cell.column_letter}{MAX_ROWS + 1}")
    _add_instructions(wb)
    return wb


def _add_instructions(wb: Workbook) -> None:
    ws = wb.create_sheet(_("说明"))
    ws.column_dimensions["A"].width = 100
    for line in (
        _("填写说明（本表不会被导入）"),
        _("1. 整个工作簿导入到上传时选择的项目；“楼栋”“房屋”“住户”三张表及表头请勿改名，没有数据的表保留表头即可。"),
        _(
            "2. 楼栋：楼栋编号必填且在项目内唯一；已存在的楼栋不要重复填写，房屋表可直接引用。用途留空为住宅，地上层数留空为 1。"
        ),
        _("3. 房屋：楼栋编号必须已存在于项目或本文件“楼栋”表；单元可留空；楼层为整数；建筑面积为数字（㎡）。"),
        _("4. 住户：房屋编码形如 3-2-1102（楼栋-单元-房号，无单元时为 A-2305），必须已存在或在本文件“房屋”表中。"),
        _("5. 身份填 业主、租户 或 家庭成员；手机号填 11 位手机号；身份证号可留空，填写时须为 18 位且校验位正确。"),
        _("6. 入住日期形如 2024-03-01，可留空；VIP、独居老人填 是 或 否。"),
        _("7. 同一姓名和手机号出现在多行，视为同一住户登记了多套房屋。"),
        _("8. 任何一行有错误时整个文件都不会导入，系统会列出每个错误所在的表和行号。"),
    ):
        ws.append([line])


def _workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


def estate_import(
    *,
    estate: Estate,
    data: bytes,
    user: AbstractBaseUser,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the whole workbook, then write it in one transaction only if no row has an error.

    `progress(done, total)` is called about every PROGRESS_EVERY rows: each data row counts once
    when checked and once when written, and the last call has done == total.
    """
    rows, errors = _read_workbook(data)
    if errors:
        return ImportResult(errors=errors)
    count = sum(len(sheet_rows) for sheet_rows in rows.values())
    if count == 0:
        return ImportResult(errors=[RowError("", None, _("工作簿中没有任何数据行"))])
    ticker = _Ticker(progress, total=2 * count)
    checker = _Checker(estate=estate, ticker=ticker)
    plan = checker.run(rows)
    if checker.errors:
        ticker.finish()
        return ImportResult(errors=checker.errors)
    try:
        result = _write(estate=estate, plan=plan, user=user, ticker=ticker)
    except IntegrityError:
        # Someone added the same building or unit between our check and our write.
        logger.warning("Import into estate %s collided with a concurrent change", estate.pk, exc_info=True)
        result = ImportResult(errors=[RowError("", None, _("导入期间项目数据被他人修改，未写入任何数据，请重新导入"))])
    ticker.finish()
    return result


class _Ticker:
    def __init__(self, callback: Progress | None, *, total: int) -> None:
        self.callback, self.total, self.done, self.reported = callback, total, 0, 0
        self._report()

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.done - self.reported >= PROGRESS_EVERY:
            self._report()

    def finish(self) -> None:
        self.done = self.total
        self._report()

    def _report(self) -> None:
        self.reported = self.done
        if self.callback is not None:
            self.callback(self.done, self.total)


@dataclass(frozen=True)
class _Row:
    number: int
    values: dict[str, Any]

    def __getitem__(self, column: str) -> Any:
        return self.values.get(column)


def _read_workbook(data: bytes) -> tuple[dict[str, list[_Row]], list[RowError]]:
    """Rows of the three sheets keyed by header, blank rows skipped; or the file-level errors."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises anything from BadZipFile to KeyError for a file that is not a workbook.
        logger.info("Upload is not a readable .xlsx workbook", exc_info=True)
        return {}, [
            RowError("", None, _("文件不是有效的 Excel 工作簿（.xlsx）。请使用导入模板填写，并另存为 .xlsx 后再上传。"))
        ]
    try:
        return _read_sheets(wb)
    except Exception:
        logger.info("Workbook could not be read", exc_info=True)
        return {}, [RowError("", None, _("工作簿内容已损坏，无法读取，请另存为 .xlsx 后再上传。"))]
    finally:
        wb.close()


def _read_sheets(wb: Workbook) -> tuple[dict[str, list[_Row]], list[RowError]]:
    rows: dict[str, list[_Row]] = {}
    errors: list[RowError] = []
    total = 0
    for title, columns in SHEETS.items():
        if title not in wb.sheetnames:
            errors.append(RowError(title, None, _("缺少工作表“%(sheet)s”，请使用导入模板") % {"sheet": title}))
            continue
        ws = wb[title]
        # Some generators write a wrong <dimension>; trusting it would silently drop rows.
        ws.reset_dimensions()
        lines: Iterator[tuple[Any, ...]] = ws.iter_rows(values_only=True)
        header = next(lines, ())
        names = [_header(value) for value in header]
        missing = [column for column in columns if column not in names]
        if missing:
            errors.append(RowError(title, 1, _("缺少列：%(columns)s") % {"columns": "、".join(missing)}))
            continue
        positions = {column: names.index(column) for column in columns}
        sheet_rows: list[_Row] = []
        for number, line in enumerate(lines, start=2):
            values = {column: line[i] if i < len(line) else None for column, i in positions.items()}
            if all(_text(value) == "" for value in values.values()):
                continue
            sheet_rows.append(_Row(number, values))
            total += 1
            if total > MAX_ROWS:
                return {}, [RowError(title, number, _("数据超过 %(max)d 行，请拆分为多个文件导入") % {"max": MAX_ROWS})]
        rows[title] = sheet_rows
    return rows, errors


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


def _write(*, estate: Estate, plan: _Plan, user: AbstractBaseUser, ticker: _Ticker) -> ImportResult:
    # Other connections see progress made inside this transaction only at commit; checking, above,
    # is the slow part and is reported live.
    with transaction.atomic():
        for chunk in _chunks(plan.buildings):
            Building.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
            ticker.tick(len(chunk))
        building_ids = dict(Building.objects.filter(estate=estate).values_list("code", "pk"))
        for building_code, unit in plan.units:
            unit.building_id = building_ids[building_code]
        for chunk in _chunks([unit for _code, unit in plan.units]):
            Unit.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
            ticker.tick(len(chunk))
        unit_ids = dict(Unit.objects.filter(estate=estate).values_list("code", "pk"))
        residents = list(plan.residents.values())
        if connection.features.can_return_rows_from_bulk_insert:
            Resident.objects.bulk_create(residents, batch_size=BATCH_SIZE)
        else:  # the occupancies need the new residents' keys
            for resident in residents:
                resident.save()
        for chunk in _chunks(plan.occupancies):
            Occupancy.objects.bulk_create(
                [
                    Occupancy(
                        estate=estate,
                        resident_id=planned.existing_resident_id or plan.residents[planned.resident_key].pk,
                        unit_id=unit_ids[planned.unit_code],
                        relation=planned.relation,
                        moved_in_on=planned.moved_in_on,
                    )
                    for planned in chunk
                ],
                batch_size=BATCH_SIZE,
            )
            ticker.tick(len(chunk))
        result = ImportResult(
            buildings=len(plan.buildings),
            units=len(plan.units),
            residents=len(residents),
            occupancies=len(plan.occupancies),
        )
        audit_record(
            actor=user,
            action=AuditEntry.Action.IMPORT,
            obj=estate,
            reason=_("导入楼栋 %(buildings)d、房屋 %(units)d、住户 %(residents)d、入住记录 %(occupancies)d")
            % result.summary(),
        )
    return result


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), PROGRESS_EVERY):
        yield items[start : start + PROGRESS_EVERY]


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------


def _header(value: Any) -> str:
    # Tolerate the "楼栋编号*" some companies use to mark required columns.
    return _text(value).rstrip("*＊").strip()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code(value: Any) -> str:
    return _text(value).upper()


def _required_text(row: _Row, column: str, max_length: int | None, fail: Callable[[str], None]) -> str:
    value = _text(row[column])
    if not value:
        fail(_("“%(column)s”不能为空") % {"column": column})
    return _limited(value, column, max_length, fail)


def _optional_text(row: _Row, column: str, max_length: int | None, fail: Callable[[str], None]) -> str:
    return _limited(_text(row[column]), column, max_length, fail)


def _limited(value: str, column: str, max_length: int | None, fail: Callable[[str], None]) -> str:
    if max_length and len(value) > max_length:
        fail(_("“%(column)s”不能超过 %(max)d 个字") % {"column": column, "max": max_length})
    return value


def _required_code(row: _Row, column: str, max_length: int | None, fail: Callable[[str], None]) -> str:
    value = _code(row[column])
    if not value:
        fail(_("“%(column)s”不能为空") % {"column": column})
    return _checked_code(value, column, max_length, fail)


def _optional_code(row: _Row, column: str, max_length: int | None, fail: Callable[[str], None]) -> str:
    return _checked_code(_code(row[column]), column, max_length, fail)


def _checked_code(value: str, column: str, max_length: int | None, fail: Callable[[str], None]) -> str:
    # "-" joins the parts of a unit code: 3-2 + 1102 and 3 + 2-1102 would both be 3-2-1102.
    if "-" in value or " " in value:
        fail(_("“%(column)s”不能包含“-”或空格：%(value)s") % {"column": column, "value": value})
    return _limited(value, column, max_length, fail)


def _integer(
    row: _Row, column: str, *, default: int | None, minimum: int, maximum: int, fail: Callable[[str], None]
) -> int:
    value = row[column]
    if _text(value) == "":
        if default is None:
            fail(_("“%(column)s”不能为空") % {"column": column})
            return 0
        return default
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        number = int(value.strip())
    if number is None:
        fail(_("“%(column)s”应为整数：%(value)s") % {"column": column, "value": _text(value)})
        return 0
    if not minimum <= number <= maximum:
        fail(_("“%(column)s”超出范围：%(value)s") % {"column": column, "value": number})
    return number


def _area(row: _Row, fail: Callable[[str], None]) -> Decimal:
    value = row["建筑面积"]
    text = _text(value).removesuffix("㎡").removesuffix("m²").strip()
    if not text:
        fail(_("“建筑面积”不能为空"))
        return Decimal(0)
    try:
        area = Decimal(repr(value) if isinstance(value, float) else text)
    except InvalidOperation:
        area = Decimal("NaN")
    if not area.is_finite() or isinstance(value, bool):
        fail(_("“建筑面积”应为数字：%(value)s") % {"value": _text(value)})
        return Decimal(0)
    area = area.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if not Decimal(0) <= area < Decimal("10000000"):
        fail(_("“建筑面积”超出范围：%(value)s") % {"value": area})
    return area


def _choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    lookup = {str(value).lower(): str(value) for value in choices.values}
    lookup.update({str(label): str(value) for value, label in choices.choices})
    return lookup


def _choice(row: _Row, column: str, lookup: dict[str, str], default: str | None, fail: Callable[[str], None]) -> str:
    text = _text(row[column])
    if not text:
        if default is None:
            fail(_("“%(column)s”不能为空") % {"column": column})
            return ""
        return default
    value = lookup.get(text) or lookup.get(text.lower())
    if value is None:
        allowed = "、".join(key for key in lookup if not key.isascii())
        fail(
            _("“%(column)s”的值“%(value)s”无法识别，可填：%(allowed)s")
            % {"column": column, "value": text, "allowed": allowed}
        )
        return ""
    return value


def _phone(row: _Row, column: str, *, required: bool, fail: Callable[[str], None]) -> str:
    text = _text(row[column])
    if not text:
        if required:
            fail(_("“%(column)s”不能为空") % {"column": column})
        return ""
    try:
        return normalise_phone(text)
    except ValidationError:
        fail(_("“%(column)s”不是有效的电话号码：%(value)s") % {"column": column, "value": text})
        return ""


def _id_number(row: _Row, fail: Callable[[str], None]) -> str:
    value = row["身份证号"]
    text = _text(value)
    if not text:
        return ""
    try:
        return normalise_id_number(text)
    except ValidationError as error:
        message = error.messages[0]
        if isinstance(value, int | float):
            message += _("（该单元格被 Excel 存成了数字，请把这一列设为文本后重新填写）")
        fail(message)
        return ""


def _date(row: _Row, column: str, fail: Callable[[str], None]) -> date | None:
    value = row[column]
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    match = _DATE.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    fail(_("“%(column)s”不是有效日期：%(value)s（应形如 2024-03-01）") % {"column": column, "value": text})
    return None


def _yes_no(row: _Row, column: str, fail: Callable[[str], None]) -> bool:
    value = row[column]
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _YES:
        return True
    if text not in _NO:
        fail(_("“%(column)s”应填“是”或“否”：%(value)s") % {"column": column, "value": _text(value)})
    return False
