"""Who may see which estates: every scoped query in Guanjia starts here."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from guanjia.estates.models import Estate
from guanjia.org.models import DutyAssignment, Staff
from guanjia.org.roles import Capability


def staff_for_user(user) -> Staff | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def estate_ids_for_user(user) -> set[int]:
    """The estates a user may see: staff their assigned estates, an owner the estates they live in."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Estate.objects.values_list("id", flat=True))
    staff = staff_for_user(user)
    if staff is not None:
        if not staff.active:
            return set()
        if staff.can(Capability.ALL_ESTATES):
            return set(Estate.objects.values_list("id", flat=True))
        return set(staff.estates.values_list("id", flat=True))
    # An owner sees the estates of their current homes; the unit selectors narrow further.
    from guanjia.people.models import Occupancy

    return set(
        Occupancy.objects.filter(resident__user=user, moved_out_on__isnull=True).values_list("estate_id", flat=True)
    )


def user_can(user, capability: Capability) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    staff = staff_for_user(user)
    return staff is not None and staff.can(capability)


def estates_for_user(user) -> QuerySet[Estate]:
    return Estate.objects.filter(id__in=estate_ids_for_user(user)).select_related("company")


def staff_on_duty(*, estate: Estate, at: datetime | None = None) -> QuerySet[Staff]:
    """Staff whose shift covers `at` (default now), including last night's shift that runs past midnight."""
    at = timezone.localtime(at or timezone.now())
    now_t = at.time()
    overnight = Q(shift__ends_at__lte=F("shift__starts_at"))
    tonight = Q(date=at.date(), shift__starts_at__lte=now_t) & (Q(shift__ends_at__gt=now_t) | overnight)
    last_night = Q(date=at.date() - timedelta(days=1), shift__ends_at__gt=now_t) & overnight
    duty = DutyAssignment.objects.filter(Q(estate=estate) & (tonight | last_night))
    return Staff.objects.filter(id__in=duty.values("staff_id"), active=True)
