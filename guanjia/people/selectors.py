from __future__ import annotations

import re

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from guanjia.estates.selectors import parse_unit_code
from guanjia.org.selectors import estate_ids_for_user, staff_for_user
from guanjia.people.models import Occupancy, Resident


def residents_for_user(user) -> QuerySet[Resident]:
    """Staff see the residents of their estates; an owner sees only themself."""
    qs = Resident.objects.select_related("estate").prefetch_related(
        Prefetch(
            "occupancies",
            queryset=Occupancy.objects.filter(moved_out_on__isnull=True).select_related("unit"),
            to_attr="current_occupancies",
        )
    )
    if user.is_superuser or staff_for_user(user) is not None:
        return qs.filter(estate_id__in=estate_ids_for_user(user))
    return qs.filter(user=user)


def resident_for_user(*, user, resident_id: int) -> Resident:
    return get_object_or_404(residents_for_user(user), pk=resident_id)


def resident_search(*, user, q: str = "", estate_id: int | None = None) -> QuerySet[Resident]:
    """One box for everything a clerk may type.

    - a unit: '3-2-1102', '3栋2单元1102' (everyone currently living there)
    - a phone tail: '5678' (last four digits) or a whole or partial number
    - pinyin initials or pinyin: 'cj', 'chenj'
    - part of a name: '陈'
    """
    qs = residents_for_user(user)
    if estate_id:
        qs = qs.filter(estate_id=estate_id)
    q = q.strip()
    if not q:
        return qs.order_by("name", "id")
    digits = re.sub(r"\D", "", q)
    unit_code = parse_unit_code(q)
    if re.fullmatch(r"[\d\s+-]+", q) and len(digits) in (11, 13):
        # A whole number, however it was typed: 138-1234-5678, +86 138 1234 5678.
        match = Q(phone__endswith=digits[-11:])
    elif unit_code:
        match = Q(occupancies__unit__code=unit_code, occupancies__moved_out_on__isnull=True)
    elif re.fullmatch(r"\d{4}", q):
        match = Q(phone__endswith=q)
    elif re.fullmatch(r"\d{5,}", q):
        match = Q(phone__contains=digits)
    elif re.fullmatch(r"[A-Za-z]+", q):
        low = q.lower()
        match = Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low)
    else:
        match = Q(name__contains=q)
    return qs.filter(match).distinct().order_by("name", "id")
