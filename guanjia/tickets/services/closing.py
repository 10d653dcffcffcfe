"""Closing the loop: the owner confirms and rates, the callback clerk calls back, the ticket closes."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.notify.models import Notification
from guanjia.notify.services import notification_add
from guanjia.org.selectors import staff_for_user
from guanjia.people.pii import blind_index
from guanjia.tickets.images import image_clean
from guanjia.tickets.lifecycle import Action, TransitionRefused, is_requester, person_may
from guanjia.tickets.models import Callback, Event, Rating, State, Ticket
from guanjia.tickets.services.clocks import callback_clock_start, clocks_start, next_check
from guanjia.tickets.services.core import event_record, ticket_lock, ticket_transition
from guanjia.tickets.services.intake import supervisor_of
from guanjia.tickets.taxonomy import RequestType

CODE_TTL = timedelta(hours=24)
CALLBACK_RETRY = timedelta(hours=4)
CALLBACK_ATTEMPTS = 3


@transaction.atomic
def confirmation_code_send(*, ticket: Ticket, user, now: datetime | None = None) -> str:
    """A six-digit code by SMS to the contact phone; the owner reads it to the technician or types it in."""
    if ticket.state != State.RESOLVED:
        raise TransitionRefused(_("工单完成后才能发送确认码"))
    if not person_may(ticket, Action.CONFIRM, staff_for_user(user), user):
        raise TransitionRefused(_("您的岗位不能发送确认码"))
    if not ticket.contact_phone:
        raise ValidationError(_("工单没有联系电话，无法发送确认码"))
    now = now or timezone.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    ticket.confirmation_code_digest = blind_index(f"{ticket.pk}:{code}")
    ticket.confirmation_code_expires_at = now + CODE_TTL
    ticket.save(update_fields=["confirmation_code_digest", "confirmation_code_expires_at"])
    notification_add(
        estate=ticket.estate,
        channel=Notification.Channel.SMS,
        address=ticket.contact_phone,
        template="confirm_code",
        ticket=ticket,
        body=_("【管家】工单 %(n)s 已完成，确认码 %(c)s，24小时内有效。") % {"n": ticket.number, "c": code},
    )
    event_record(ticket=ticket, kind=Event.Kind.NOTE, user=user, reason=_("已向业主发送确认码"), at=now)
    return code


def _code_matches(ticket: Ticket, code: str, now: datetime) -> bool:
    if not ticket.confirmation_code_digest or not ticket.confirmation_code_expires_at:
        return False
    if now > ticket.confirmation_code_expires_at:
        return False
    return hmac.compare_digest(ticket.confirmation_code_digest, blind_index(f"{ticket.pk}:{code.strip()}"))


@transaction.atomic
def ticket_confirm(
    *, ticket: Ticket, user, version: int, channel: str, signature=None, code: str = "", now: datetime | None = None
) -> Ticket:
    """The owner signs on the technician's phone (an image) or gives the code sent to them."""
    now = now or timezone.now()
    clean_signature = image_clean(signature) if signature is not None else None
    if clean_signature is None and not code:
        raise ValidationError(_("请业主签名或输入确认码"))
    if clean_signature is None and not _code_matches(ticket, code, now):
        raise ValidationError({"code": _("确认码不正确或已过期")})
    ticket, _f, _t = ticket_transition(
        ticket=ticket,
        action=Action.CONFIRM,
        user=user,
        version=version,
        channel=channel,
        now=now,
        detail={"by": "signature" if clean_signature else "code"},
    )
    if clean_signature is not None:
        ticket.signature.save(clean_signature.name, clean_signature, save=False)
    ticket.confirmed_at = now
    ticket.confirmation_code_digest = ""
    ticket.save()
    return ticket


@transaction.atomic
def ticket_rate(
    *,
    ticket: Ticket,
    user,
    speed: int,
    professionalism: int,
    attitude: int,
    comment: str = "",
    channel: str,
    now: datetime | None = None,
) -> Rating:
    """Speed, professionalism and attitude, 1–5 each, once per ticket, after the work is done."""
    if ticket.state not in (State.RESOLVED, State.CONFIRMED, State.CALLED_BACK, State.CLOSED):
        raise TransitionRefused(_("工单完成后才能评价"))
    if not (is_requester(ticket, user) or staff_for_user(user)):
        raise TransitionRefused(_("只有报事业主或客服可以录入评价"))
    scores = {"speed": speed, "professionalism": professionalism, "attitude": attitude}
    bad = {k: _("评分应为1到5") for k, v in scores.items() if not isinstance(v, int) or not 1 <= v <= 5}
    if bad:
        raise ValidationError(bad)
    if Rating.objects.filter(ticket=ticket).exists():
        raise ValidationError(_("该工单已评价"))
    now = now or timezone.now()
    rating = Rating.objects.create(
        estate_id=ticket.estate_id, ticket=ticket, comment=comment.strip(), rated_at=now, **scores
    )
    event_record(
        ticket=ticket, kind=Event.Kind.RATING, user=user, channel=channel, at=now, reason=comment.strip(), detail=scores
    )
    return rating


def _reopen(ticket: Ticket, *, user, channel: str, notes: str, now: datetime) -> Ticket:
    """Back to the same team, flagged; the promise clocks start again and a new callback follows."""
    ticket, _f, _t = ticket_transition(
        ticket=ticket, action=Action.REOPEN, user=user, version=ticket.version, channel=channel, reason=notes, now=now
    )
    ticket.flagged = True
    ticket.reopen_count += 1
    ticket.resolved_at = ticket.arrived_at = ticket.confirmed_at = None
    ticket.callback_due_at = None
    ticket.clock_marks = {k: v for k, v in ticket.clock_marks.items() if k != "callback"}
    clocks_start(ticket=ticket, now=now)
    if ticket.assignee_id:
        ticket.save()
        ticket, _f, _t = ticket_transition(
            ticket=ticket,
            action=Action.DISPATCH,
            user=user,
            version=ticket.version,
            channel=channel,
            now=now,
            reason=_("回访不满意，退回原处理人"),
            detail={"to": ticket.assignee_id},
        )
        notification_add(
            estate=ticket.estate,
            recipient=ticket.assignee.user,
            template="ticket_reopened",
            ticket=ticket,
            body=_("工单 %(n)s 回访不满意，已退回，请重新处理") % {"n": ticket.number},
        )
    ticket.next_check_at = next_check(ticket)
    ticket.save()
    return ticket


@transaction.atomic
def callback_record(
    *, callback: Callback, user, outcome: str, notes: str, version: int, channel: str, now: datetime | None = None
) -> Ticket:
    """Record one callback. Satisfied closes; not satisfied reopens; unreachable retries, then closes with a note.

    A complaint closes only after a satisfied callback: three failed attempts put it before the supervisor.
    """
    if outcome not in (Callback.Outcome.SATISFIED, Callback.Outcome.NOT_SATISFIED, Callback.Outcome.UNREACHABLE):
        raise ValidationError({"outcome": _("请选择回访结果")})
    if callback.outcome != Callback.Outcome.PENDING:
        raise TransitionRefused(_("该回访已记录"))
    staff = staff_for_user(user)
    if not person_may(callback.ticket, Action.CALLBACK, staff):
        raise TransitionRefused(_("您的岗位不能登记回访"))
    now = now or timezone.now()
    ticket = ticket_lock(ticket=callback.ticket, expected_version=version)
    callback.outcome, callback.notes, callback.done_by, callback.done_at = outcome, notes.strip(), staff, now
    callback.save()
    event_record(
        ticket=ticket,
        kind=Event.Kind.CALLBACK,
        user=user,
        channel=channel,
        at=now,
        reason=notes.strip(),
        detail={"outcome": outcome, "attempt": callback.attempt},
    )

    if outcome == Callback.Outcome.SATISFIED:
        ticket, _f, _t = ticket_transition(
            ticket=ticket, action=Action.CALLBACK, user=user, version=ticket.version, channel=channel, now=now
        )
        ticket.save()
        return ticket_close(ticket=ticket, user=user, version=ticket.version, channel=channel, now=now)
    if outcome == Callback.Outcome.NOT_SATISFIED:
        return _reopen(ticket, user=user, channel=channel, notes=notes, now=now)

    # Unreachable: try again later, up to three attempts.
    if callback.attempt < CALLBACK_ATTEMPTS:
        retry = Callback.objects.create(
            estate_id=ticket.estate_id, ticket=ticket, attempt=callback.attempt + 1, due_at=now + CALLBACK_RETRY
        )
        callback_clock_start(ticket=ticket, now=now, due=retry.due_at)
        ticket.save()
        return ticket
    if ticket.request_type == RequestType.COMPLAINT:
        supervisor = supervisor_of(ticket.estate)
        event_record(
            ticket=ticket,
            kind=Event.Kind.ESCALATION,
            user=user,
            channel=channel,
            at=now,
            reason=_("投诉回访三次联系不上，需主管处理"),
            detail={"to": supervisor.pk if supervisor else None},
        )
        if supervisor:
            notification_add(
                estate=ticket.estate,
                recipient=supervisor.user,
                template="callback_unreachable",
                ticket=ticket,
                body=_("投诉工单 %(n)s 三次回访联系不上") % {"n": ticket.number},
            )
        ticket.callback_due_at = None
        ticket.next_check_at = next_check(ticket)
        ticket.save()
        return ticket
    return ticket_close(
        ticket=ticket,
        user=user,
        version=ticket.version,
        channel=channel,
        now=now,
        note=_("三次回访均联系不上，按规定关闭"),
    )


@transaction.atomic
def ticket_close(
    *, ticket: Ticket, user, version: int, channel: str, note: str = "", now: datetime | None = None
) -> Ticket:
    now = now or timezone.now()
    ticket, _f, _t = ticket_transition(
        ticket=ticket, action=Action.CLOSE, user=user, version=version, channel=channel, reason=note, now=now
    )
    ticket.closed_at = now
    ticket.next_check_at = None
    ticket.save()
    from guanjia.tickets.tasks import service_report_generate

    pk = ticket.pk
    transaction.on_commit(lambda: service_report_generate.enqueue(ticket_id=pk))
    return ticket
