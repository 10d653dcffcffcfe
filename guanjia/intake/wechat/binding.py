"""Binding a follower to a resident: they prove the phone the service centre has on file with an SMS code.

"绑定 13812345678" sends a six-digit code to that phone if a resident of this estate has it;
"绑定 13812345678 123456", or the code alone, completes the binding.

- The reply never says whether the phone is on file ("如该手机号已登记……"), so a stranger cannot
  probe who lives here. An unknown phone gets a pending binding that no code can complete.
- One code a minute per follower, five codes a day per phone (beyond that we answer the same but
  send nothing), five wrong tries per code: six digits cannot be guessed through this door.
- Only a digest of the code is stored (keyed with the field key, like ticket confirmation codes).
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from guanjia.intake.wechat.models import Follower
from guanjia.notify.models import Notification
from guanjia.notify.services import notification_add
from guanjia.people.models import Resident
from guanjia.people.pii import blind_index

CODE_TTL = timedelta(minutes=10)
RESEND_AFTER = timedelta(minutes=1)
MAX_ATTEMPTS = 5
DAILY_CODES_PER_PHONE = 5
SMS_TEMPLATE = "wechat_bind_code"


def resident_by_phone(*, estate, phone: str) -> Resident | None:
    """A resident of this estate with that (E.164) phone, preferring one who currently lives here."""
    residents = Resident.objects.filter(estate=estate, phone=phone).prefetch_related("occupancies").order_by("pk")
    candidates = list(residents[:5])
    living = [r for r in candidates if any(o.moved_out_on is None for o in r.occupancies.all())]
    return (living or candidates or [None])[0]


def _digest(follower: Follower, phone: str, code: str) -> str:
    return blind_index(f"wechat-bind:{follower.pk}:{phone}:{code}")


def _clear(follower: Follower) -> None:
    follower.pending_phone = ""
    follower.code_digest = ""
    follower.code_expires_at = None
    follower.code_attempts = 0


@transaction.atomic
def bind_code_send(*, follower: Follower, phone: str, now: datetime) -> str:
    """Start binding to `phone` (already E.164); returns the reply, which reads the same for every phone."""
    if follower.code_sent_at and now - follower.code_sent_at < RESEND_AFTER:
        return _("验证码发送过于频繁，请1分钟后再试。")
    estate = follower.estate
    resident = resident_by_phone(estate=estate, phone=phone)
    sent_today = Notification.objects.filter(
        template=SMS_TEMPLATE, address=phone, created_at__gte=now - timedelta(days=1)
    ).count()
    code = f"{secrets.randbelow(1_000_000):06d}"
    _clear(follower)
    follower.pending_phone = phone
    follower.code_sent_at = now
    follower.code_expires_at = now + CODE_TTL
    if resident is not None and sent_today < DAILY_CODES_PER_PHONE:
        follower.code_digest = _digest(follower, phone, code)
        notification_add(
            estate=estate,
            channel=Notification.Channel.SMS,
            address=phone,
            template=SMS_TEMPLATE,
            body=_("【%(estate)s】您正在绑定微信公众号，验证码 %(code)s，10分钟内有效。如非本人操作请忽略。")
            % {"estate": estate.name, "code": code},
        )
    follower.save()
    return _(
        "如该手机号已在「%(estate)s」登记，验证码已通过短信发送，10分钟内有效。"
        "请直接回复6位验证码完成绑定。\n如未收到短信，请联系服务中心核对登记的手机号。"
    ) % {"estate": estate.name}


@transaction.atomic
def bind_confirm(*, follower: Follower, code: str, now: datetime, phone: str | None = None) -> str:
    """Complete binding with the SMS code; returns the reply."""
    if not follower.pending_phone or follower.code_expires_at is None:
        return _("请先回复「绑定 手机号」获取验证码，例如：绑定 13812345678")
    if now > follower.code_expires_at or follower.code_attempts >= MAX_ATTEMPTS:
        _clear(follower)
        follower.save()
        return _("验证码已失效，请重新回复「绑定 手机号」获取。")
    resident = resident_by_phone(estate=follower.estate, phone=follower.pending_phone)
    matches = (
        resident is not None
        and bool(follower.code_digest)
        and (phone is None or phone == follower.pending_phone)
        and hmac.compare_digest(follower.code_digest, _digest(follower, follower.pending_phone, code.strip()))
    )
    if not matches:
        follower.code_attempts += 1
        follower.save(update_fields=["code_attempts"])
        return _("验证码不正确，请核对短信后重新回复。")
    follower.resident = resident
    follower.bound_at = now
    _clear(follower)
    follower.save()
    return _(
        "绑定成功！%(name)s，您好。\n现在可以直接发送文字、语音或图片报事、咨询或投诉；"
        "回复「进度」查询工单处理情况；回复「解绑」解除绑定。"
    ) % {"name": resident.name}


def bind_remove(*, follower: Follower) -> str:
    follower.resident = None
    follower.bound_at = None
    _clear(follower)
    follower.save()
    return _("已解除绑定。如需再次绑定，请回复「绑定 手机号」。")
