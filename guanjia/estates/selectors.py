from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from guanjia.estates.models import Estate, Unit
from guanjia.org.selectors import estate_ids_for_user, staff_for_user

# 3-2-1102, 3-1102, A-2305, 3栋2单元1102
_UNIT_CODE = re.compile(
    r"^\s*([0-9A-Za-z]+)\s*(?:栋|座|幢|号楼)?\s*[-－ ]?\s*(?:([0-9]+)\s*单元\s*)?[-－ ]?\s*([0-9]{3,5})\s*$"
)


def parse_unit_code(text: str) -> str | None:
    """'3栋2单元1102' or '3-2-1102' → '3-2-1102'; None when the text is not a unit reference."""
    text = text.strip()
    if re.fullmatch(r"[0-9A-Za-z]+(-[0-9A-Za-z]+){1,2}", text):
        return text.upper()
    match = _UNIT_CODE.match(text)
    if not match or not (("-" in text) or any(c in text for c in "栋座幢楼单元")):
        return None
    return Unit.make_code(building_code=match[1].upper(), entrance=match[2] or "", number=match[3])


def units_for_user(user) -> QuerySet[Unit]:
    """Staff see every unit of their estates; an owner sees only the units they live in now."""
    qs = Unit.objects.select_related("estate", "building")
    if user.is_superuser or staff_for_user(user) is not None:
        return qs.filter(estate_id__in=estate_ids_for_user(user))
    return qs.filter(occupancies__resident__user=user, occupancies__moved_out_on__isnull=True).distinct()


def unit_for_user(*, user, unit_id: int) -> Unit:
    return get_object_or_404(units_for_user(user), pk=unit_id)


def unit_search(*, user, q: str = "", estate_id: int | None = None) -> QuerySet[Unit]:
    qs = units_for_user(user)
    if estate_id:
        qs = qs.filter(estate_id=estate_id)
    q = q.strip()
    if q:
        code = parse_unit_code(q)
        qs = qs.filter(code__startswith=code) if code else qs.filter(Q(code__icontains=q) | Q(building__name=q))
    return qs.order_by("estate__code", "code")


def estate_for_user(*, user, estate_id: int) -> Estate:
    return get_object_or_404(Estate.objects.filter(id__in=estate_ids_for_user(user)), pk=estate_id)


def unit_by_code(*, user, estate_id: int, text: str) -> Unit | None:
    """The one unit a clerk means by '3-2-1102' or '3栋2单元1102' in an estate they may see."""
    code = parse_unit_code(text) or text.strip().upper()
    return units_for_user(user).filter(estate_id=estate_id, code=code).first()
