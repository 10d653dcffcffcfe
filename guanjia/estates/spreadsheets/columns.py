"""The file format: sheet names, column headers, and the columns that must stay text.

One format serves the blank template, the import and the export, so an export (made by a role
that may see personal data in clear) imports back into an empty estate unchanged. The estate is
not a column: the whole workbook goes into the estate the user picked.
"""

from __future__ import annotations

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

# The template's drop-down lists reach this far down, and a larger file is refused on import.
MAX_ROWS = 50_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
