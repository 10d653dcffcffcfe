"""The uploaded file to rows: the three sheets keyed by header, or the file-level errors."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from guanjia.estates.spreadsheets.cells import _Row, _text
from guanjia.estates.spreadsheets.columns import MAX_ROWS, SHEETS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RowError:
    """One problem in the file. `row` is Excel's row number (data starts at 2); None for the whole file/sheet."""

    sheet: str
    row: int | None
    message: str


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


def _header(value: Any) -> str:
    # Tolerate the "楼栋编号*" some companies use to mark required columns.
    return _text(value).rstrip("*＊").strip()
