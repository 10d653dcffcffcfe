"""Service-promise clocks: start them, pause them on hold, and sweep the ones that are due.

A ticket stores each clock's due time in a column and the next moment anything can happen in
`next_check_at` (indexed), so the sweep reads only tickets that are due now — its cost grows with
what is due, not with the number of open tickets.

clock_marks[clock] = {"start": iso, "warned": bool, "level": int} — level 0 is not yet breached,
1 supervisor, 2 service-centre manager, 3 estate manager.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.notify.services import notification_add
from guanjia.org.models import Staff
from guanjia.org.roles import Role
from guanjia.tickets.models import Event, State, Ticket
from guanjia.tickets.promises import Promise, promise_for
from guanjia.tickets.services.core import event_record
from guanjia.tickets.workdays import add_working_days, end_of_local_day

log = logging.getLogger(__name__)

CLOCKS = ("ack", "arrive", "resolve", "statutory", "callback")
CLOCK_LABELS = {
    "ack": gettext_lazy("响应"),
    "arrive": gettext_lazy("到场/首次答复"),
    "resolve": gettext_lazy("解决"),
    "statutory": gettext_lazy("书面答复法定时限"),
    "callback": gettext_lazy("回访"),
}
ESCALATION_CHAIN = (Role.SUPERVISOR, Role.CENTRE_MANAGER, Role.ESTATE_MANAGER)
MAX_STEP = timedelta(hours=24)
MIN_STEP = timedelta(minutes=30)


def _due_field(clock: str) -> str:
    return f"{clock}_due_at"


def clock_stopped(ticket: Ticket, clock: str) -> bool:
    """A clock stops when the thing it measures happened."""
    return {
        "ack": ticket.acknowledged_at is not None,
        "arrive": ticket.arrived_at is not None or ticket.resolved_at is not None,
        "resolve": ticket.resolved_at is not None,
        "statutory": ticket.resolved_at is not None,
        "callback": ticket.state in (State.CALLED_BACK, State.CLOSED),
    }[clock] or ticket.state in (State.CANCELLED, State.MERGED, State.CLOSED)


def _set_clock(ticket: Ticket, clock: str, start: datetime, due: datetime | None) -> None:
    setattr(ticket, _due_field(clock), due)
    marks = dict(ticket.clock_marks)
    if due is None:
        marks.pop(clock, None)
    else:
        marks[clock] = {"start": start.isoformat(), "warned": False, "level": 0}
    ticket.clock_marks = marks


def clocks_start(*, ticket: Ticket, now: datetime, promise: Promise | None = None) -> None:
    """Set ack/arrive/resolve/statutory deadlines from the promise (at creation, or on reopening)."""
    promise = promise or promise_for(
        estate_id=ticket.estate_id, request_type=ticket.request_type, urgency=ticket.urgency, major=ticket.major
    )
    warnings = []
    _set_clock(ticket, "ack", now, now + promise.ack if promise.ack and not ticket.acknowledged_at else None)
    arrive = now + promise.arrive if promise.arrive else None
    resolve = now + promise.resolve if promise.resolve else None
    if promise.scheduled and ticket.preferred_visit_at:
        arrive, resolve = ticket.preferred_visit_at, end_of_local_day(ticket.preferred_visit_at)
    if promise.resolve_same_day:
        # 急修不过夜: by the end of today, but never less than the time to get there and work.
        resolve = max(end_of_local_day(now), now + (promise.arrive or timedelta(0)) + timedelta(hours=2))
    if promise.resolve_working_days:
        result = add_working_days(now, promise.resolve_working_days)
        resolve = result.due
        warnings.append(result.warning)
    statutory = None
    if promise.statutory_working_days:
        result = add_working_days(now, promise.statutory_working_days)
        statutory = result.due
        warnings.append(result.warning)
    _set_clock(ticket, "arrive", now, arrive)
    _set_clock(ticket, "resolve", now, resolve)
    _set_clock(ticket, "statutory", now, statutory)
    ticket.calendar_warning = next((w for w in warnings if w), "")
    ticket.next_check_at = next_check(ticket)


def callback_clock_start(*, ticket: Ticket, now: datetime, due: datetime) -> None:
    _set_clock(ticket, "callback", now, due)
    ticket.next_check_at = next_check(ticket)


def _warn_at(ticket: Ticket, clock: str, due: datetime, percent: int = 80) -> datetime:
    start = datetime.fromisoformat(ticket.clock_marks[clock]["start"])
    return start + (due - start) * percent / 100


def _step(ticket: Ticket, clock: str, due: datetime) -> timedelta:
    """Time between escalation steps after a breach: the clock's own length, within 30 min–24 h."""
    start = datetime.fromisoformat(ticket.clock_marks[clock]["start"])
    return min(max(due - start, MIN_STEP), MAX_STEP)


def _next_moment(ticket: Ticket, clock: str) -> datetime | None:
    due = getattr(ticket, _due_field(clock))
    mark = ticket.clock_marks.get(clock)
    if due is None or mark is None or clock_stopped(ticket, clock):
        return None
    if not mark["warned"]:
        return _warn_at(ticket, clock, due)
    if mark["level"] < len(ESCALATION_CHAIN):
        return due + _step(ticket, clock, due) * mark["level"]
    return None


def next_check(ticket: Ticket) -> datetime | None:
    if ticket.state == State.ON_HOLD:
        return None  # paused: resume_clocks sets it again
    moments = [m for m in (_next_moment(ticket, c) for c in CLOCKS) if m is not None]
    return min(moments) if moments else None


def clocks_pause(*, ticket: Ticket, now: datetime) -> None:
    ticket.held_at = now
    ticket.next_check_at = None


def clocks_resume(*, ticket: Ticket, now: datetime) -> None:
    """Shift every running clock by the time spent on hold: the owner's wait for parts is not ours."""
    paused = now - ticket.held_at if ticket.held_at else timedelta(0)
    marks = dict(ticket.clock_marks)
    for clock in CLOCKS:
        due = getattr(ticket, _due_field(clock))
        if due is None or clock_stopped(ticket, clock) or clock not in marks:
            continue
        setattr(ticket, _due_field(clock), due + paused)
        start = datetime.fromisoformat(marks[clock]["start"]) + paused
        marks[clock] = {**marks[clock], "start": start.isoformat()}
    ticket.clock_marks = marks
    ticket.held_at = None


def _escalation_target(ticket: Ticket, level: int) -> Staff | None:
    role = ESCALATION_CHAIN[level - 1]
    return (
        Staff.objects.filter(estates=ticket.estate_id, role=role, active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )


def _notify(ticket: Ticket, staff: Staff | None, template: str, body: str) -> None:
    if staff is not None:
        notification_add(estate=ticket.estate, recipient=staff.user, template=template, body=body, ticket=ticket)


def _check_ticket(ticket: Ticket, now: datetime) -> int:
    """Fire every warning and escalation step that is due; returns how many fired."""
    fired = 0
    marks = {k: dict(v) for k, v in ticket.clock_marks.items()}
    for clock in CLOCKS:
        due = getattr(ticket, _due_field(clock))
        mark = marks.get(clock)
        if due is None or mark is None or clock_stopped(ticket, clock):
            continue
        label = CLOCK_LABELS[clock]
        if not mark["warned"] and now >= _warn_at(ticket, clock, due):
            mark["warned"] = True
            fired += 1
            event_record(
                ticket=ticket,
                at=now,
                kind=Event.Kind.WARNING,
                reason=_("%(clock)s时限即将到期") % {"clock": label},
                detail={"clock": clock, "due": due.isoformat()},
            )
            _notify(
                ticket,
                ticket.assignee,
                "clock_warning",
                _("工单 %(n)s 的%(clock)s时限将于 %(due)s 到期")
                % {"n": ticket.number, "clock": label, "due": timezone.localtime(due).strftime("%m-%d %H:%M")},
            )
        while mark["level"] < len(ESCALATION_CHAIN) and now >= due + _step(ticket, clock, due) * mark["level"]:
            mark["level"] += 1
            fired += 1
            target = _escalation_target(ticket, mark["level"])
            if mark["level"] == 1:
                event_record(
                    ticket=ticket,
                    at=now,
                    kind=Event.Kind.BREACH,
                    reason=_("%(clock)s超时") % {"clock": label},
                    detail={"clock": clock, "due": due.isoformat()},
                )
            event_record(
                ticket=ticket,
                at=now,
                kind=Event.Kind.ESCALATION,
                reason=_("%(clock)s超时，升级至%(role)s")
                % {"clock": label, "role": ESCALATION_CHAIN[mark["level"] - 1].label},
                detail={"clock": clock, "level": mark["level"], "to": target.pk if target else None},
            )
            _notify(
                ticket,
                target,
                "clock_escalation",
                _("工单 %(n)s %(clock)s超时，已升级给您处理") % {"n": ticket.number, "clock": label},
            )
        marks[clock] = mark
    ticket.clock_marks = marks
    ticket.escalation_level = max([ticket.escalation_level, *(m["level"] for m in marks.values())])
    ticket.next_check_at = next_check(ticket)
    return fired


def clock_sweep(*, now: datetime | None = None, batch: int = 500) -> int:
    """Handle every ticket whose next check is due. Two workers never handle the same ticket twice:
    each row is claimed under a lock (skip_locked on PostgreSQL; SQLite serialises writers) and
    re-checked after claiming."""
    now = now or timezone.now()
    fired = 0
    ids = list(
        Ticket.objects.filter(next_check_at__lte=now).order_by("next_check_at").values_list("id", flat=True)[:batch]
    )
    skip_locked = connection.features.has_select_for_update_skip_locked
    for ticket_id in ids:
        with transaction.atomic():
            qs = Ticket.objects.filter(pk=ticket_id, next_check_at__lte=now).select_related("estate", "assignee__user")
            ticket = qs.select_for_update(skip_locked=skip_locked, of=("self",)).first()
            if ticket is None:
                continue  # another worker has it, or it was handled meanwhile
            fired += _check_ticket(ticket, now)
            ticket.save(update_fields=["clock_marks", "escalation_level", "next_check_at"])
    return fired
