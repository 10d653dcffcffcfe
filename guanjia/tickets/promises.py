"""Service promises (服务承诺): DESIGN.md's defaults, overridable per estate by ServicePolicy rows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from guanjia.tickets.models import ServicePolicy
from guanjia.tickets.taxonomy import RequestType, Urgency

M = timedelta(minutes=1)
H = timedelta(hours=1)


@dataclass(frozen=True)
class Promise:
    ack: timedelta | None = None
    arrive: timedelta | None = None  # on site, first answer or first contact
    resolve: timedelta | None = None
    resolve_working_days: int | None = None
    resolve_same_day: bool = False  # 急修不过夜
    scheduled: bool = False  # planned work: arrive and resolve on the date agreed with the owner
    statutory_working_days: int | None = None  # written reply to a complaint
    callback: timedelta = 48 * H
    warn_percent: int = 80


# (request type, urgency or None for any, major) → promise. DESIGN.md "Default service promises".
DEFAULT_PROMISES: dict[tuple[str, str | None, bool], Promise] = {
    (RequestType.HELP, None, False): Promise(ack=2 * M, arrive=10 * M),
    (RequestType.REPAIR, Urgency.EMERGENCY, False): Promise(ack=5 * M, arrive=30 * M, resolve_same_day=True),
    (RequestType.REPAIR, Urgency.URGENT, False): Promise(ack=30 * M, arrive=2 * H, resolve=24 * H),
    (RequestType.REPAIR, Urgency.NORMAL, False): Promise(ack=2 * H, arrive=24 * H, resolve=72 * H),
    (RequestType.REPAIR, Urgency.PLANNED, False): Promise(ack=24 * H, scheduled=True),
    (RequestType.INQUIRY, None, False): Promise(arrive=2 * H),
    (RequestType.COMPLAINT, None, False): Promise(ack=2 * H, arrive=24 * H, resolve=72 * H, statutory_working_days=30),
    (RequestType.COMPLAINT, None, True): Promise(
        ack=30 * M, arrive=24 * H, resolve_working_days=7, statutory_working_days=30
    ),
    (RequestType.BUSINESS, None, False): Promise(ack=2 * H, arrive=24 * H, resolve=72 * H),
    (RequestType.SUGGESTION, None, False): Promise(ack=24 * H),
    (RequestType.PRAISE, None, False): Promise(ack=24 * H),
}


def default_promise(*, request_type: str, urgency: str, major: bool) -> Promise:
    for key in ((request_type, urgency, major), (request_type, None, major), (request_type, None, False)):
        if key in DEFAULT_PROMISES:
            return DEFAULT_PROMISES[key]
    return DEFAULT_PROMISES[(RequestType.REPAIR, Urgency.NORMAL, False)]


def _minutes(value: int | None) -> timedelta | None:
    return None if value is None else timedelta(minutes=value)


def promise_for(*, estate_id: int, request_type: str, urgency: str, major: bool) -> Promise:
    """The estate's own policy where it has one (exact urgency first), else the default."""
    promise = default_promise(request_type=request_type, urgency=urgency, major=major)
    policies = {
        p.urgency: p for p in ServicePolicy.objects.filter(estate_id=estate_id, request_type=request_type, major=major)
    }
    policy = policies.get(urgency) or policies.get("")
    if policy is None:
        return promise
    return replace(
        promise,
        ack=_minutes(policy.ack_minutes),
        arrive=_minutes(policy.arrive_minutes),
        resolve=_minutes(policy.resolve_minutes),
        resolve_working_days=policy.resolve_working_days,
        resolve_same_day=promise.resolve_same_day and policy.resolve_minutes is None,
        callback=timedelta(hours=policy.callback_hours),
        warn_percent=policy.warn_percent,
    )
