"""The blank template and the export, both in the import format (see columns.py).

Edge case: the export lists current occupancies only, and a role without Capability.REVEAL_PII gets
masked phones and ID numbers, which will not import back.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from guanjia.audit.models import AuditEntry
from guanjia.audit.services import audit_record
from guanjia.estates.models import Building, Estate, Unit
from guanjia.estates.spreadsheets.columns import (
    MAX_ROWS,
    SHEET_BUILDINGS,
    SHEET_RESIDENTS,
    SHEET_UNITS,
    SHEETS,
    TEXT_COLUMNS,
)
from guanjia.org.roles import Capability
from guanjia.org.selectors import user_can
from guanjia.people.models import Occupancy
from guanjia.people.pii import mask_id_number, mask_phone, national_phone
from guanjia.people.services import REVEALABLE_FIELDS

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


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
