"""One cell to one value.

Each function reads one column of a row, reports what is wrong through `fail`, and still returns a
value, so every problem in a row is reported, not just the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext as _

from guanjia.people.pii import normalise_id_number, normalise_phone

_YES = {"是", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "n", "no", "false", "0", ""}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


@dataclass(frozen=True)
class _Row:
    number: int
    values: dict[str, Any]

    def __getitem__(self, column: str) -> Any:
        return self.values.get(column)


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
