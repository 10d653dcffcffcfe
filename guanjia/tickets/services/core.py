"""What every ticket change shares: the optimistic lock, the timeline event, the ticket number."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.org.selectors import staff_for_user
from guanjia.tickets.lifecycle import Action, require_action
from guanjia.tickets.models import Event, State, Ticket, TicketSequence
from guanjia.tickets.workdays import LOCAL


class TicketConflict(Exception):
    """Someone else changed the ticket first. Carries the fresh ticket so the caller can show it."""

    def __init__(self, ticket: Ticket):
        self.ticket = ticket
        super().__init__(
            _("工单 %(number)s 已被他人更新（当前状态：%(state)s），请刷新后重试")
            % {"number": ticket.number, "state": ticket.get_state_display()}
        )


def ticket_lock(*, ticket: Ticket, expected_version: int) -> Ticket:
    """Claim the ticket at the version the user saw, or raise TicketConflict.

    The conditional UPDATE is the lock: of two requests carrying the same version only one matches
    the row, on PostgreSQL and SQLite alike. Must run inside a transaction.
    """
    claimed = Ticket.objects.filter(pk=ticket.pk, version=expected_version).update(version=F("version") + 1)
    fresh = Ticket.objects.select_related("estate", "assignee", "requester", "department").get(pk=ticket.pk)
    if not claimed:
        raise TicketConflict(fresh)
    return fresh


def event_record(
    *,
    ticket: Ticket,
    kind: str,
    user=None,
    channel: str = "",
    action: str = "",
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    detail: dict | None = None,
    at: datetime | None = None,
) -> Event:
    return Event.objects.create(
        estate_id=ticket.estate_id,
        ticket=ticket,
        at=at or timezone.now(),
        kind=kind,
        action=action,
        actor=user if getattr(user, "is_authenticated", False) else None,
        channel=channel,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        detail=detail or {},
    )


def ticket_transition(
    *,
    ticket: Ticket,
    action: Action,
    user,
    version: int,
    channel: str,
    reason: str = "",
    detail: dict | None = None,
    now: datetime | None = None,
    as_parent: bool = False,
) -> tuple[Ticket, State, State]:
    """Lock, check the state machine and the person, move the state, record the event.

    Returns (ticket, from_state, to_state); the caller sets its own fields and saves.
    """
    ticket = ticket_lock(ticket=ticket, expected_version=version)
    to_state = require_action(ticket, action, staff_for_user(user), user, as_parent=as_parent)
    from_state = State(ticket.state)
    now = now or timezone.now()
    if ticket.acknowledged_at is None and action is not Action.DECLINE:
        ticket.acknowledged_at = now
    ticket.state = to_state
    event_record(
        ticket=ticket,
        kind=Event.Kind.TRANSITION,
        user=user,
        channel=channel,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        detail=detail,
        at=now,
    )
    return ticket, from_state, to_state


def ticket_number_next(*, estate, at: datetime) -> str:
    """HY-20261122-0042: per estate and local day. The counter row is locked for the increment."""
    day = at.astimezone(LOCAL).date()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                seq, _created = TicketSequence.objects.select_for_update().get_or_create(estate=estate, day=day)
                TicketSequence.objects.filter(pk=seq.pk).update(last=F("last") + 1)
                seq.refresh_from_db(fields=["last"])
                return f"{estate.code.upper()}-{day:%Y%m%d}-{seq.last:04d}"
        except IntegrityError:
            continue  # two first tickets of the day raced to create the counter; the row exists now
    raise RuntimeError("could not allocate a ticket number")
