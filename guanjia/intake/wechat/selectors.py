"""Queries about WeChat followers."""

from __future__ import annotations

from guanjia.intake.wechat.models import Follower
from guanjia.people.models import Resident


def bound_openid(*, estate_id: int, resident: Resident) -> str | None:
    """The openid of a follower of the estate's active account bound to this resident, if any is subscribed."""
    return (
        Follower.objects.filter(
            estate_id=estate_id,
            resident=resident,
            subscribed=True,
            bound_at__isnull=False,
            account__active=True,
        )
        .order_by("-bound_at")
        .values_list("openid", flat=True)
        .first()
    )
