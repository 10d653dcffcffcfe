"""What a message to the Official Account does: bind the follower, open or follow up a ticket, report progress.

`message_receive` is the one entry point; it takes a message already authenticated and parsed by
`protocol.message_open` and returns the text of the passive reply.

- A retried MsgId (the platform retries three times when we are slow) returns the first reply and
  creates nothing: the log row is claimed first, inside the same transaction as the work.
- Only a bound follower's messages become tickets; anyone else is told how to bind.
- Images: the platform sends a temporary PicUrl (and a MediaId for the media API). We fetch PicUrl
  through a pluggable `fetch` (short timeout, size cap) and attach the photo; when that fails — no
  network, link expired — the link and MediaId are kept on the log and in a note on the ticket, for a
  clerk to open. Fetching through the media API needs an access token (AppSecret) and a worker; not done.
"""

from __future__ import annotations

import logging
import re
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.estates.models import Unit
from guanjia.intake.services import IntakeOutcome, request_intake
from guanjia.intake.wechat.binding import bind_code_send, bind_confirm, bind_remove
from guanjia.intake.wechat.models import Follower, InboundMessage, WechatAccount
from guanjia.intake.wechat.protocol import Inbound
from guanjia.people.models import Resident
from guanjia.people.pii import mask_phone, normalise_phone
from guanjia.tickets.lifecycle import TransitionRefused
from guanjia.tickets.models import TERMINAL_STATES, Channel, State, Ticket
from guanjia.tickets.services import ticket_note, ticket_photo_add
from guanjia.tickets.taxonomy import Category, RequestType, Urgency, department_for
from guanjia.tickets.workdays import LOCAL
from guanjia.triage.services import TriageResult

log = logging.getLogger(__name__)

ImageFetcher = Callable[[str], bytes]
FETCH_TIMEOUT_SECONDS = 2  # the platform gives us five seconds for the whole answer
FETCH_MAX_BYTES = 10 * 1024 * 1024

PROGRESS_WORDS = frozenset({"进度", "查询", "查进度", "查询进度", "工单进度", "报修进度", "cx", "jd"})
FOLLOW_UP = re.compile(r"^(补充|追加)[\s:：,，]*(?P<text>.+)$", re.S)
BIND = re.compile(r"^绑定[\s:：]*(?P<rest>.*)$", re.S)
UNBIND = frozenset({"解绑", "解除绑定"})
CODE = re.compile(r"^\d{6}$")
_PUNCT = re.compile(r"[\s?？!！。.,，~～]+")


def pic_fetch(url: str) -> bytes:
    """GET the image behind a PicUrl: http(s) only, a short timeout, at most FETCH_MAX_BYTES."""
    if urlparse(url).scheme not in ("http", "https"):
        raise ValueError("PicUrl must be http(s)")
    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as response:  # scheme checked above
        data = response.read(FETCH_MAX_BYTES + 1)
    if len(data) > FETCH_MAX_BYTES:
        raise ValueError("image too large")
    return data


@dataclass
class _Handled:
    reply: str
    ticket: Ticket | None = None
    content: str | None = None  # what to log instead of the raw text (codes and phones masked)


# --- Replies ---------------------------------------------------------------------------------------


def _when(moment: datetime, now: datetime) -> str:
    local, today = moment.astimezone(LOCAL), now.astimezone(LOCAL).date()
    days = (local.date() - today).days
    day = {0: _("今天"), 1: _("明天"), 2: _("后天")}.get(days) or _("%(m)d月%(d)d日") % {
        "m": local.month,
        "d": local.day,
    }
    return f"{day} {local:%H:%M}"


def _next_step(ticket: Ticket, now: datetime) -> str:
    """What the owner can expect, from the ticket's own promise clocks."""
    if ticket.state == State.ESCALATED:
        return _("您的反映已转主管优先处理，我们会尽快与您联系。")
    arrive, ack = ticket.arrive_due_at, ticket.ack_due_at
    kind = ticket.request_type
    if kind == RequestType.HELP and arrive:
        return _("安保人员将于%(t)s 前到场，请注意安全。") % {"t": _when(arrive, now)}
    if kind == RequestType.REPAIR and arrive:
        return _("维修人员将于%(t)s 前上门处理。") % {"t": _when(arrive, now)}
    if kind == RequestType.REPAIR and ack:
        return _("我们将于%(t)s 前与您约定上门时间。") % {"t": _when(ack, now)}
    if kind == RequestType.INQUIRY and arrive:
        return _("我们将于%(t)s 前答复您。") % {"t": _when(arrive, now)}
    if kind in (RequestType.SUGGESTION, RequestType.PRAISE):
        return _("感谢您的反馈，我们会认真处理。")
    due = arrive or ack
    if due:
        return _("我们将于%(t)s 前与您联系。") % {"t": _when(due, now)}
    return _("我们会尽快与您联系。")


def _accepted_reply(outcome: IntakeOutcome, *, now: datetime, several_units: bool) -> str:
    ticket = outcome.ticket
    if not outcome.created:
        text = _("您反映的问题已有工单 %(n)s 在处理（当前状态：%(s)s），本次内容已补充到该工单。") % {
            "n": ticket.number,
            "s": ticket.get_state_display(),
        }
    else:
        text = _("已受理，工单号 %(n)s（%(c)s）。\n%(next)s") % {
            "n": ticket.number,
            "c": ticket.get_category_display(),
            "next": _next_step(ticket, now),
        }
    if outcome.parent is not None:
        text += "\n" + _("该问题属于公共故障，已并入主单 %(p)s 统一处理，完成后通知您。") % {"p": outcome.parent.number}
    if several_units and outcome.created:
        text += "\n" + _("您名下有多处房屋，如未写明房号，请回复「补充 房号」。")
    return text + "\n" + _("回复「进度」可查询处理情况。")


def _bind_help(account: WechatAccount) -> str:
    return _(
        "您好，这里是「%(estate)s」物业服务中心。\n报事前请先绑定住户身份：回复「绑定 手机号」"
        "（例如：绑定 13812345678），我们会向服务中心登记的手机号发送6位验证码，收到后回复验证码即可。"
    ) % {"estate": account.estate.name}


def _welcome(account: WechatAccount, follower: Follower) -> str:
    text = _("欢迎关注「%(estate)s」物业服务中心！") % {"estate": account.estate.name}
    if follower.resident_id:
        return text + _("您已绑定住户身份，可直接发送文字、语音或图片报事；回复「进度」查询工单。")
    return text + "\n" + _bind_help(account)


# --- Tickets -------------------------------------------------------------------------------------


def _open_tickets(*, account: WechatAccount, resident: Resident) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(estate=account.estate, requester=resident)
        .exclude(state__in=TERMINAL_STATES)
        .select_related("assignee")
        .order_by("-created_at")
    )


def _units(resident: Resident) -> list[Unit]:
    return list(
        Unit.objects.filter(occupancies__resident=resident, occupancies__moved_out_on__isnull=True)
        .distinct()
        .order_by("pk")[:2]
    )


def _progress(*, account: WechatAccount, resident: Resident) -> str:
    tickets = list(_open_tickets(account=account, resident=resident)[:3])
    if not tickets:
        return _("您目前没有处理中的工单。如需报事，请直接发送文字或语音描述。")
    lines = [_("您的工单：")]
    for ticket in tickets:
        line = _("%(n)s %(c)s：%(s)s") % {
            "n": ticket.number,
            "c": ticket.get_category_display(),
            "s": ticket.get_state_display(),
        }
        if ticket.assignee_id:
            line += _("，处理人 %(a)s") % {"a": ticket.assignee.name}
        lines.append(line)
    return "\n".join(lines)


def _intake(
    *, account: WechatAccount, resident: Resident, text: str, now: datetime, labels: TriageResult | None = None
) -> _Handled:
    units = _units(resident)
    try:
        outcome = request_intake(
            estate=account.estate,
            text=text,
            channel=Channel.WECHAT,
            user=resident.user,
            requester=resident,
            unit=units[0] if len(units) == 1 else None,
            labels=labels,
            now=now,
        )
    except ValidationError:
        return _Handled(
            _("抱歉，未能识别您的诉求。请具体描述问题和位置（如：厨房水管漏水），紧急情况请直接致电服务中心。")
        )
    return _Handled(_accepted_reply(outcome, now=now, several_units=len(units) > 1), ticket=outcome.ticket)


def _follow_up(*, account: WechatAccount, resident: Resident, text: str, now: datetime) -> _Handled:
    ticket = _open_tickets(account=account, resident=resident).first()
    if ticket is None:
        return _intake(account=account, resident=resident, text=text, now=now)
    ticket_note(
        ticket=ticket, user=resident.user, text=_("业主补充：%(t)s") % {"t": text}, channel=Channel.WECHAT, now=now
    )
    return _Handled(
        _("已补充到工单 %(n)s（当前状态：%(s)s）。") % {"n": ticket.number, "s": ticket.get_state_display()},
        ticket=ticket,
    )


# An image alone says nothing a classifier can read: a clerk looks at it and answers (inquiry promise).
IMAGE_LABELS = TriageResult(
    request_type=RequestType.INQUIRY,
    category=Category.GENERAL,
    department=department_for(Category.GENERAL),
    urgency=Urgency.NORMAL,
    sentiment=None,
    sensitive=False,
    confidence=0.0,
    needs_review=True,
)


def _image(
    *, account: WechatAccount, resident: Resident, log_row: InboundMessage, data: bytes | None, now: datetime
) -> _Handled:
    ticket = _open_tickets(account=account, resident=resident).first()
    created = ticket is None
    if created:
        handled = _intake(account=account, resident=resident, text=_("业主发来图片"), now=now, labels=IMAGE_LABELS)
        ticket = handled.ticket
        if ticket is None:
            return handled
    photo = None
    if data:
        try:
            with transaction.atomic():
                photo = ticket_photo_add(
                    ticket=ticket,
                    user=resident.user,
                    stage="reported",
                    upload=ContentFile(data, name="wechat.jpg"),
                    channel=Channel.WECHAT,
                    now=now,
                )
        except (ValidationError, TransitionRefused):
            photo = None
    if photo is None:
        ticket_note(
            ticket=ticket,
            user=resident.user,
            channel=Channel.WECHAT,
            now=now,
            text=_("业主通过公众号发来图片（未能自动下载，请在3天内打开链接查看）：%(url)s（MediaId：%(m)s）")
            % {"url": log_row.pic_url or "-", "m": log_row.media_id or "-"},
        )
    if created:
        reply = _("已收到图片，已为您登记工单 %(n)s。请再用文字或语音说明问题和位置，方便我们尽快处理。")
    else:
        reply = _("图片已补充到工单 %(n)s（当前状态：%(s)s）。")
    return _Handled(reply % {"n": ticket.number, "s": ticket.get_state_display()}, ticket=ticket)


# --- Dispatch ------------------------------------------------------------------------------------


def _bind_command(follower: Follower, rest: str, now: datetime) -> _Handled:
    tokens = rest.split()
    code = tokens.pop() if len(tokens) >= 2 and CODE.match(tokens[-1]) else None
    raw_phone = "".join(tokens)
    if not raw_phone:
        return _Handled(_("请回复「绑定 手机号」，例如：绑定 13812345678"), content=_("绑定"))
    try:
        phone = normalise_phone(raw_phone)
    except ValidationError:
        return _Handled(_("手机号格式不正确，请回复「绑定 手机号」，例如：绑定 13812345678"), content=_("绑定 ***"))
    if code is None:
        return _Handled(bind_code_send(follower=follower, phone=phone, now=now), content=f"绑定 {mask_phone(phone)}")
    return _Handled(
        bind_confirm(follower=follower, code=code, phone=phone, now=now), content=f"绑定 {mask_phone(phone)} ******"
    )


def _text(*, account: WechatAccount, follower: Follower, text: str, now: datetime) -> _Handled:
    text = text.strip()
    word = _PUNCT.sub("", text).lower()
    if bind := BIND.match(text):
        return _bind_command(follower, bind.group("rest"), now)
    if word in UNBIND and follower.resident_id:
        return _Handled(bind_remove(follower=follower))
    if CODE.match(word) and follower.pending_phone:
        return _Handled(bind_confirm(follower=follower, code=word, now=now), content="******")
    resident = follower.resident
    if resident is None:
        return _Handled(_bind_help(account))
    if not text:
        return _Handled(_("请用文字或语音描述您的问题。"))
    if word in PROGRESS_WORDS:
        return _Handled(_progress(account=account, resident=resident))
    if more := FOLLOW_UP.match(text):
        return _follow_up(account=account, resident=resident, text=more.group("text").strip(), now=now)
    return _intake(account=account, resident=resident, text=text, now=now)


def _dispatch(
    *, account: WechatAccount, follower: Follower, row: InboundMessage, data: bytes | None, now: datetime
) -> _Handled:
    message = row.msg_type
    if message == "event":
        if row.event in ("subscribe", "subscribe_scan"):
            follower.subscribed = True
            follower.save(update_fields=["subscribed"])
            return _Handled(_welcome(account, follower))
        if row.event == "unsubscribe":
            # They left: forget the binding, so whoever holds this WeChat account later must prove it again.
            follower.subscribed = False
            bind_remove(follower=follower)
        return _Handled("")
    if message in ("text", "voice"):
        if message == "voice" and not row.content.strip():
            return _Handled(_("抱歉，没有听清您的语音，请再说一遍或发送文字。"))
        return _text(account=account, follower=follower, text=row.content, now=now)
    if follower.resident is None:
        return _Handled(_bind_help(account))
    if message == "image":
        return _image(account=account, resident=follower.resident, log_row=row, data=data, now=now)
    return _Handled(_("暂不支持此类消息，请发送文字、语音或图片。"))


def _follower(*, account: WechatAccount, openid: str, now: datetime) -> Follower:
    follower, _created = Follower.objects.select_related("resident__user").get_or_create(
        account=account, openid=openid, defaults={"estate_id": account.estate_id, "first_seen_at": now}
    )
    return follower


def _dedupe_key(inbound: Inbound) -> str:
    message = inbound.message
    if message.id:
        return str(message.id)
    return f"{message.type}:{message.source}:{message.time}"


def _fetch(fetch: ImageFetcher, url: str) -> bytes | None:
    try:
        return fetch(url)
    except Exception:  # any failure (offline, expired link, refused) falls back to the link
        log.info("wechat image fetch failed: %s", url, exc_info=True)
        return None


def message_receive(
    *, account: WechatAccount, inbound: Inbound, now: datetime | None = None, fetch: ImageFetcher = pic_fetch
) -> str:
    """Handle one authentic message and return the reply text ("" for none)."""
    now = now or timezone.now()
    message, key = inbound.message, _dedupe_key(inbound)
    previous = InboundMessage.objects.filter(account=account, msg_id=key).only("reply").first()
    if previous is not None:
        return previous.reply
    content = getattr(message, "recognition", None) if message.type == "voice" else getattr(message, "content", "")
    row = InboundMessage(
        estate_id=account.estate_id,
        account=account,
        msg_id=key,
        openid=message.source,
        msg_type=message.type,
        event=getattr(message, "event", "") if message.type == "event" else "",
        content=(content or "")[:4000],
        media_id=(getattr(message, "media_id", "") or "")[:128],
        pic_url=(getattr(message, "image", "") or "")[:500] if message.type == "image" else "",
        encrypted=inbound.encrypted,
        received_at=now,
    )
    # Outside the transaction: a slow download must not hold the write lock.
    data = _fetch(fetch, row.pic_url) if row.pic_url else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                row.save(force_insert=True)  # claims the MsgId; a concurrent retry waits here, then fails
        except IntegrityError:
            return InboundMessage.objects.get(account=account, msg_id=key).reply
        follower = _follower(account=account, openid=message.source, now=now)
        handled = _dispatch(account=account, follower=follower, row=row, data=data, now=now)
        row.reply = handled.reply
        row.ticket = handled.ticket
        if handled.content is not None:
            row.content = handled.content
        row.save(update_fields=["reply", "ticket", "content"])
    return handled.reply
