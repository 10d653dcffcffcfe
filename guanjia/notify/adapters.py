"""One sender per outbox channel. Each sends one message or raises; none of them touches the outbox.

Two kinds of trouble are told apart, because they end differently:
- `ChannelUnavailable`: we are not set up to send on this channel (no gateway, no account). The message
  waits; it is not the recipient's fault and counts no attempt.
- `DeliveryError`: the peer refused or could not be reached. `permanent` errors (an unknown openid, a
  number the gateway rejects) fail the message at once; the rest are retried with backoff.

Error texts end up in the admin and in logs, so they never carry a message body (an SMS may hold a
confirmation code) and show phone numbers masked.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request

import phonenumbers
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext_lazy as _
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from guanjia.intake.wechat.models import WechatAccount
from guanjia.notify.models import Notification
from guanjia.people.pii import mask_phone


class ChannelUnavailable(Exception):
    """This channel is not configured (for this estate); the message waits, no attempt is counted."""


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def _masked(phone: str) -> str:
    try:
        return mask_phone(phone)
    except phonenumbers.NumberParseException:
        return "***"


# --- SMS over an HTTP gateway ---------------------------------------------------------------------

# The gateway said no to this very message (bad number, text refused): sending it again cannot help.
# Anything else (5xx, 401 with a key being rotated, 404 from a mistyped URL, 429) may pass later.
_SMS_REFUSED = {400, 422}


def sms_send(*, phone: str, text: str) -> None:
    url = settings.GUANJIA_SMS_GATEWAY_URL
    if not url:
        raise ChannelUnavailable(_("短信网关未配置（GUANJIA_SMS_GATEWAY_URL），短信暂存待发"))
    request = urllib.request.Request(
        url,
        data=json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {settings.GUANJIA_SMS_GATEWAY_KEY}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.GUANJIA_NOTIFY_TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        # Only the status: a gateway's error page may echo the text back, code included.
        raise DeliveryError(
            str(
                _("短信网关拒绝发往 %(phone)s 的短信：HTTP %(status)s") % {"phone": _masked(phone), "status": exc.code}
            ),
            permanent=exc.code in _SMS_REFUSED,
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(str(_("短信网关无法连接：%(reason)s") % {"reason": reason})) from None
    if not 200 <= status < 300:
        raise DeliveryError(
            str(_("短信网关拒绝发往 %(phone)s 的短信：HTTP %(status)s") % {"phone": _masked(phone), "status": status})
        )


# --- WeChat template messages ---------------------------------------------------------------------

# The platform's codes that no retry can fix: unknown openid, not a follower (any more), bad template,
# the user blocked template messages.
_WECHAT_REFUSED = {40003, 40036, 40037, 43004, 43101, 47003}
_WECHAT_TOKEN_STALE = {40001, 40014, 42001}


class _CachedTokens(SessionStorage):
    """Access tokens in Django's cache: every fetch invalidates the last one after a few minutes and the
    platform allows 2000 fetches a day, so workers share one token per account instead of fetching per run."""

    def get(self, key, default=None):
        return cache.get(f"notify:wechat:{key}", default)

    def set(self, key, value, ttl=None):
        # Expire early so a token is never used in its last minutes.
        cache.set(f"notify:wechat:{key}", value, max(60, (ttl or 7200) - 300))

    def delete(self, key):
        cache.delete(f"notify:wechat:{key}")


class _TimeoutSession(requests.Session):
    """wechatpy fetches tokens without a timeout; a hung platform must not hang the worker."""

    def request(self, *args, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = settings.GUANJIA_NOTIFY_TIMEOUT_SECONDS
        return super().request(*args, **kwargs)


class _Client(WeChatClient):
    """WeChatClient against GUANJIA_WECHAT_API_BASE (wechatpy hard-codes the token URL)."""

    def __init__(self, account: WechatAccount) -> None:
        # auto_retry off: wechatpy would refetch and retry a stale token without end; we retry once below.
        super().__init__(account.app_id, account.app_secret, session=_CachedTokens(), auto_retry=False)
        self.API_BASE_URL = settings.GUANJIA_WECHAT_API_BASE.rstrip("/") + "/cgi-bin/"
        self.timeout = settings.GUANJIA_NOTIFY_TIMEOUT_SECONDS
        self._http = _TimeoutSession()

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


def _template_data(notification: Notification) -> dict:
    """The generic 工单进度提醒 template: first, keyword1 (ticket number), keyword2 (status), remark."""
    ticket = notification.ticket
    return {
        "first": {"value": notification.body},
        "keyword1": {"value": ticket.number if ticket else "—"},
        "keyword2": {"value": str(ticket.get_state_display()) if ticket else "—"},
        "remark": {"value": str(_("如有疑问，请联系%(estate)s服务中心。") % {"estate": notification.estate.name})},
    }


def wechat_send(*, notification: Notification) -> None:
    template_id = settings.GUANJIA_WECHAT_TEMPLATE_ID
    if not template_id:
        raise ChannelUnavailable(_("微信模板消息未配置（GUANJIA_WECHAT_TEMPLATE_ID），消息暂存待发"))
    account = WechatAccount.objects.filter(estate_id=notification.estate_id, active=True).first()
    if account is None or not account.app_secret:
        raise ChannelUnavailable(_("本项目没有启用的微信公众号或未填写AppSecret，消息暂存待发"))
    client = _Client(account)
    data = _template_data(notification)
    try:
        try:
            client.message.send_template(notification.address, template_id, data)
        except WeChatClientException as exc:
            if exc.errcode not in _WECHAT_TOKEN_STALE:
                raise
            # Another process fetched a newer token, or ours lapsed early: fetch once and try again.
            client.session.delete(client.access_token_key)
            client.fetch_access_token()
            client.message.send_template(notification.address, template_id, data)
    except WeChatClientException as exc:
        if exc.errcode is None:  # an HTTP error, not an answer from the platform
            status = getattr(exc.response, "status_code", "?")
            raise DeliveryError(str(_("微信接口无法访问：%(reason)s") % {"reason": f"HTTP {status}"})) from None
        raise DeliveryError(
            str(_("微信拒绝发送：%(code)s %(message)s") % {"code": exc.errcode, "message": exc.errmsg}),
            permanent=exc.errcode in _WECHAT_REFUSED,
        ) from None
    except requests.RequestException as exc:
        raise DeliveryError(str(_("微信接口无法访问：%(reason)s") % {"reason": type(exc).__name__})) from None


# --- Email ----------------------------------------------------------------------------------------


def email_send(*, notification: Notification) -> None:
    ticket = notification.ticket
    subject = (
        _("【%(estate)s】工单 %(number)s 进度提醒") % {"estate": notification.estate.name, "number": ticket.number}
        if ticket
        else _("【%(estate)s】通知") % {"estate": notification.estate.name}
    )
    # Django's SMTP backend waits forever unless told otherwise.
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT or settings.GUANJIA_NOTIFY_TIMEOUT_SECONDS)
    message = EmailMessage(
        subject=str(subject), body=notification.body, to=[notification.address], connection=connection
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        # 5xx is a verdict on the address; 4xx (greylisting, a full mailbox) may pass later.
        codes = [code for code, _message in exc.recipients.values()]
        raise DeliveryError(
            str(_("邮件服务器拒收收件人 %(address)s：%(codes)s") % {"address": notification.address, "codes": codes}),
            permanent=all(code >= 500 for code in codes),
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(str(_("邮件发送失败：%(reason)s") % {"reason": type(exc).__name__})) from None


SENDERS = {
    Notification.Channel.SMS: lambda n: sms_send(phone=n.address, text=n.body),
    Notification.Channel.WECHAT: lambda n: wechat_send(notification=n),
    Notification.Channel.EMAIL: lambda n: email_send(notification=n),
}
