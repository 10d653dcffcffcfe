"""Dispatch and field work: from the department queue to a person, on site, resolved."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.notify.services import notification_add, owner_tell
from guanjia.org.models import Department, Staff
from guanjia.org.selectors import staff_for_user
from guanjia.tickets.images import image_clean
from guanjia.tickets.lifecycle import Action, TransitionRefused
from guanjia.tickets.models import FINISHED_STATES, Callback, Event, MaterialRequest, Photo, Ticket
from guanjia.tickets.promises import promise_for
from guanjia.tickets.services.clocks import callback_clock_start, clocks_pause, clocks_resume, next_check
from guanjia.tickets.services.core import event_record, ticket_lock, ticket_transition
from guanjia.tickets.services.intake import supervisor_of


def _need_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": _("请填写原因")})
    return reason.strip()


@transaction.atomic
def ticket_dispatch(
    *,
    ticket: Ticket,
    assignee: Staff,
    user,
    version: int,
    channel: str,
    department: Department | None = None,
    plan: str = "",
    now: datetime | None = None,
) -> Ticket:
    """Send the ticket to a person (and, if given, move it to another department's queue)."""
    if not assignee.active or not assignee.estates.filter(pk=ticket.estate_id).exists():
        raise ValidationError({"assignee": _("处理人不在该项目")})
    if department is not None and department.estate_id != ticket.estate_id:
        raise ValidationError({"department": _("部门不属于该项目")})
    now = now or timezone.now()
    ticket, _from, _to = ticket_transition(
        ticket=ticket,
        action=Action.DISPATCH,
        user=user,
        version=version,
        channel=channel,
        now=now,
        detail={"to": assignee.pk, "to_name": assignee.name, "department": department.pk if department else None},
    )
    ticket.assignee = assignee
    if department is not None:
        ticket.department = department
    if plan.strip():
        ticket.plan = plan.strip()
    ticket.next_check_at = next_check(ticket)
    ticket.save()
    notification_add(
        estate=ticket.estate,
        recipient=assignee.user,
        template="ticket_dispatched",
        ticket=ticket,
        body=_("新工单 %(n)s：%(d)s") % {"n": ticket.number, "d": ticket.description[:60]},
    )
    owner_tell(
        ticket=ticket,
        template="ticket_dispatched_owner",
        body=_("您的报事 %(n)s 已安排%(who)s处理") % {"n": ticket.number, "who": assignee.name},
    )
    return ticket


@transaction.atomic
def ticket_accept(*, ticket: Ticket, user, version: int, channel: str, now: datetime | None = None) -> Ticket:
    ticket, _f, _t = ticket_transition(
        ticket=ticket, action=Action.ACCEPT, user=user, version=version, channel=channel, now=now
    )
    ticket.next_check_at = next_check(ticket)
    ticket.save()
    return ticket


@transaction.atomic
def ticket_decline(*, ticket: Ticket, user, version: int, channel: str, reason: str, now=None) -> Ticket:
    """The technician hands it back to the department queue, saying why."""
    reason = _need_reason(reason)
    ticket, _f, _t = ticket_transition(
        ticket=ticket, action=Action.DECLINE, user=user, version=version, channel=channel, reason=reason, now=now
    )
    ticket.assignee = None
    ticket.save()
    return ticket


@transaction.atomic
def ticket_arrive(*, ticket: Ticket, user, version: int, channel: str, now: datetime | None = None) -> Ticket:
    """Check-in on site (repairs) or first contact with the owner (complaints)."""
    now = now or timezone.now()
    ticket, _f, _t = ticket_transition(
        ticket=ticket, action=Action.ARRIVE, user=user, version=version, channel=channel, now=now
    )
    ticket.arrived_at = now
    ticket.next_check_at = next_check(ticket)
    ticket.save()
    return ticket


def _resolve(
    ticket: Ticket, *, user, version: int, channel: str, work_done: str, now: datetime, as_parent: bool = False
) -> Ticket:
    ticket, _f, _t = ticket_transition(
        ticket=ticket,
        action=Action.RESOLVE,
        user=user,
        version=version,
        channel=channel,
        reason=work_done,
        now=now,
        as_parent=as_parent,
    )
    ticket.resolved_at = now
    if ticket.arrived_at is None:
        ticket.arrived_at = now  # an inquiry answered at the desk: the answer is the first answer
    promise = promise_for(
        estate_id=ticket.estate_id, request_type=ticket.request_type, urgency=ticket.urgency, major=ticket.major
    )
    attempt = ticket.callbacks.count() + 1
    callback = Callback.objects.create(
        estate_id=ticket.estate_id, ticket=ticket, attempt=attempt, due_at=now + promise.callback
    )
    callback_clock_start(ticket=ticket, now=now, due=callback.due_at)
    ticket.save()
    if as_parent:
        body = _("【管家】您报的 %(n)s 已随公共故障一并修复。") % {"n": ticket.number}
    else:
        body = _("您的报事 %(n)s 已处理完成，请确认并评价") % {"n": ticket.number}
    owner_tell(ticket=ticket, template="ticket_resolved", body=body)
    return ticket


@transaction.atomic
def ticket_resolve(
    *, ticket: Ticket, user, version: int, channel: str, work_done: str, now: datetime | None = None
) -> Ticket:
    """Work done: the resolve clock stops and a callback is due within the promise (48 h by default).

    Resolving a public-fault parent resolves its grouped children and tells each child's owner.
    """
    if not work_done.strip():
        raise ValidationError({"work_done": _("请填写处理结果")})
    now = now or timezone.now()
    ticket = _resolve(ticket, user=user, version=version, channel=channel, work_done=work_done.strip(), now=now)
    for child in ticket.children.exclude(state__in=FINISHED_STATES).select_related("requester"):
        _resolve(
            child,
            user=user,
            version=child.version,
            channel=channel,
            now=now,
            as_parent=True,
            work_done=_("随公共故障主单 %(n)s 一并处理：%(w)s") % {"n": ticket.number, "w": work_done.strip()},
        )
    return ticket


@transaction.atomic
def ticket_hold(*, ticket: Ticket, user, version: int, channel: str, reason: str, now=None) -> Ticket:
    """Waiting for parts or for the owner: the promise clocks stop until resumed."""
    reason = _need_reason(reason)
    now = now or timezone.now()
    ticket, held_from, _t = ticket_transition(
        ticket=ticket, action=Action.HOLD, user=user, version=version, channel=channel, reason=reason, now=now
    )
    ticket.held_from = held_from
    clocks_pause(ticket=ticket, now=now)
    ticket.save()
    return ticket


@transaction.atomic
def ticket_resume(*, ticket: Ticket, user, version: int, channel: str, now=None) -> Ticket:
    now = now or timezone.now()
    ticket, _f, _t = ticket_transition(
        ticket=ticket, action=Action.RESUME, user=user, version=version, channel=channel, now=now
    )
    clocks_resume(ticket=ticket, now=now)
    ticket.held_from = ""
    ticket.next_check_at = next_check(ticket)
    ticket.save()
    return ticket


@transaction.atomic
def ticket_escalate(*, ticket: Ticket, user, version: int, channel: str, reason: str, now=None) -> Ticket:
    """To the supervisor, who dispatches again, with a cross-department plan where needed."""
    reason = _need_reason(reason)
    ticket, _f, _t = ticket_transition(
        ticket=ticket, action=Action.ESCALATE, user=user, version=version, channel=channel, reason=reason, now=now
    )
    ticket.save()
    supervisor = supervisor_of(ticket.estate)
    if supervisor:
        notification_add(
            estate=ticket.estate,
            recipient=supervisor.user,
            template="ticket_escalated",
            ticket=ticket,
            body=_("工单 %(n)s 已升级：%(r)s") % {"n": ticket.number, "r": reason},
        )
    return ticket


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, user, version: int, channel: str, reason: str, now=None) -> Ticket:
    reason = _need_reason(reason)
    now = now or timezone.now()
    ticket, _f, _t = ticket_transition(
        ticket=ticket, action=Action.CANCEL, user=user, version=version, channel=channel, reason=reason, now=now
    )
    ticket.closed_at = now
    ticket.next_check_at = None
    ticket.save()
    return ticket


@transaction.atomic
def ticket_merge(*, ticket: Ticket, into: Ticket, user, version: int, channel: str, now=None) -> Ticket:
    """A duplicate joins the ticket that carries the work; its requester is told through the survivor."""
    if into.pk == ticket.pk or into.estate_id != ticket.estate_id or not into.is_open:
        raise ValidationError({"into": _("只能合并到同一项目中未关闭的另一张工单")})
    now = now or timezone.now()
    ticket, _f, _t = ticket_transition(
        ticket=ticket,
        action=Action.MERGE,
        user=user,
        version=version,
        channel=channel,
        detail={"into": into.number},
        now=now,
    )
    ticket.merged_into = into
    ticket.closed_at = now
    ticket.next_check_at = None
    ticket.save()
    event_record(
        ticket=into,
        kind=Event.Kind.NOTE,
        user=user,
        channel=channel,
        at=now,
        reason=_("合并了重复工单 %(n)s") % {"n": ticket.number},
        detail={"merged": ticket.number},
    )
    return ticket


def _require_open_for_staff(ticket: Ticket, user) -> Staff:
    """Staff of the ticket's estate (the caller scoped the ticket) may add to an open ticket."""
    staff = staff_for_user(user)
    if staff is None or not ticket.is_open:
        raise TransitionRefused(_("工单已关闭或您无权操作"))
    return staff


@transaction.atomic
def ticket_photo_add(*, ticket: Ticket, user, stage: str, upload, channel: str, now=None) -> Photo:
    """A validated, EXIF-free photo; anything that is not an image raises ValidationError and stores nothing.

    `user=None` is a channel itself (a mail attachment, a WeChat image) that authenticated the sender.
    """
    if stage not in Photo.Stage.values:
        raise ValidationError({"stage": _("未知照片阶段")})
    clean = image_clean(upload)
    if not ticket.is_open:
        raise TransitionRefused(_("工单已关闭，不能再上传照片"))
    if user is not None and (ticket.requester is None or ticket.requester.user_id != user.id):
        _require_open_for_staff(ticket, user)
    now = now or timezone.now()
    photo = Photo(estate_id=ticket.estate_id, ticket=ticket, stage=stage, uploaded_by=user, uploaded_at=now)
    photo.image.save(clean.name, clean, save=False)
    photo.save()
    event_record(
        ticket=ticket,
        kind=Event.Kind.PHOTO,
        user=user,
        channel=channel,
        at=now,
        detail={"photo": photo.pk, "stage": stage},
    )
    return photo


@transaction.atomic
def ticket_material_request(
    *, ticket: Ticket, user, item: str, quantity: Decimal, unit_of_measure: str = "个", channel: str, now=None
) -> MaterialRequest:
    staff = _require_open_for_staff(ticket, user)
    if not item.strip():
        raise ValidationError({"item": _("请填写物资名称")})
    if quantity is None or Decimal(quantity) <= 0:
        raise ValidationError({"quantity": _("数量必须大于0")})
    now = now or timezone.now()
    material = MaterialRequest.objects.create(
        estate_id=ticket.estate_id,
        ticket=ticket,
        item=item.strip(),
        quantity=quantity,
        unit_of_measure=unit_of_measure,
        requested_by=staff,
        requested_at=now,
    )
    event_record(
        ticket=ticket,
        kind=Event.Kind.MATERIAL,
        user=user,
        channel=channel,
        at=now,
        detail={"item": material.item, "quantity": str(material.quantity), "unit": unit_of_measure},
    )
    return material


@transaction.atomic
def ticket_note(*, ticket: Ticket, user, text: str, channel: str, version: int | None = None, now=None) -> Event:
    if not text.strip():
        raise ValidationError({"text": _("备注不能为空")})
    if version is not None:
        ticket_lock(ticket=ticket, expected_version=version)
    return event_record(ticket=ticket, kind=Event.Kind.NOTE, user=user, channel=channel, reason=text.strip(), at=now)
