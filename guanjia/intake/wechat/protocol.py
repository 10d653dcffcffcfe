"""The platform's message protocol, done by wechatpy: signatures, AES (safe mode), parsing, replies.

Nothing here touches the database: a request is authenticated and parsed completely before anything
is stored, so a forged or broken request leaves no trace.

- Plaintext mode: `signature` = sha1(sorted token, timestamp, nonce) over the query string.
- Safe mode (an EncodingAESKey is set): the same `signature`, plus `encrypt_type=aes` and
  `msg_signature` = sha1(sorted token, timestamp, nonce, Encrypt); the body is AES-CBC under the
  key, ending with our AppID. Plaintext requests to a safe-mode account are refused (400).
- The timestamp must be within five minutes of our clock, so a captured request cannot be replayed
  later; a replay inside the window is caught by the MsgId log (services.message_receive).
"""

from __future__ import annotations

import binascii
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.parsers.expat import ExpatError

import xmltodict
from django.utils.translation import gettext as _
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from guanjia.intake.wechat.models import WechatAccount

SIGNATURE_MAX_AGE = timedelta(minutes=5)
# A text message is at most 2,048 characters; nothing the platform pushes to us comes near this.
MAX_BODY_BYTES = 64 * 1024
EMPTY_REPLY = "success"  # what the platform expects when we have nothing to say


class SignatureRejected(Exception):
    """Missing, wrong or stale signature: answer 403 and store nothing."""


class MalformedMessage(Exception):
    """Not XML, not decryptable, or not a message: answer 400 and store nothing."""


@dataclass(frozen=True)
class Inbound:
    """One authenticated, parsed message, and how to wrap the reply to it."""

    message: BaseMessage
    encrypted: bool
    timestamp: str
    nonce: str


def signature_verify(*, account: WechatAccount, params: Mapping[str, str], now: datetime) -> None:
    """Check `signature` over (token, timestamp, nonce); used for URL verification and every message."""
    signature, timestamp, nonce = (params.get(k, "") for k in ("signature", "timestamp", "nonce"))
    if not (signature and timestamp and nonce):
        raise SignatureRejected(_("缺少签名参数"))
    try:
        check_signature(account.token, signature, timestamp, nonce)
    except InvalidSignatureException:
        raise SignatureRejected(_("签名不正确")) from None
    try:
        sent_at = datetime.fromtimestamp(int(timestamp), tz=now.tzinfo)
    except (ValueError, OverflowError, OSError):
        raise SignatureRejected(_("时间戳无效")) from None
    if abs(now - sent_at) > SIGNATURE_MAX_AGE:
        raise SignatureRejected(_("请求已过期（超过5分钟）"))


def _decrypt(*, account: WechatAccount, params: Mapping[str, str], body: bytes) -> str:
    if params.get("encrypt_type", "").lower() != "aes":
        raise MalformedMessage(_("安全模式只接受加密消息（encrypt_type=aes）"))
    msg_signature = params.get("msg_signature", "")
    if not msg_signature:
        raise SignatureRejected(_("缺少 msg_signature"))
    try:
        envelope = xmltodict.parse(body)["xml"]
        encrypt = envelope["Encrypt"]
    except (ExpatError, ValueError, KeyError, TypeError):
        raise MalformedMessage(_("报文不是有效的加密XML")) from None
    if not isinstance(encrypt, str) or not encrypt:
        raise MalformedMessage(_("报文不是有效的加密XML"))
    crypto = WeChatCrypto(account.token, account.encoding_aes_key, account.app_id)
    try:
        return crypto.decrypt_message({"Encrypt": encrypt}, msg_signature, params["timestamp"], params["nonce"])
    except InvalidSignatureException:
        raise SignatureRejected(_("消息签名不正确")) from None
    except (InvalidAppIdException, binascii.Error, ValueError, TypeError, IndexError, struct.error):
        # Signed with our token but not decryptable to a message for our AppID.
        raise MalformedMessage(_("报文无法解密")) from None


def _parse(xml: str | bytes) -> BaseMessage:
    try:
        message = parse_message(xml)
        # Touch what every handler relies on, so a broken field fails here and not half-way through.
        if message is None or not isinstance(message.source, str) or not message.source:
            raise MalformedMessage(_("报文缺少 FromUserName"))
        if message.id < 0 or message.time <= 0:
            raise MalformedMessage(_("报文缺少 CreateTime"))
        for field in ("content", "recognition", "image", "media_id"):
            value = getattr(message, field, "")
            if value is not None and not isinstance(value, str):
                raise MalformedMessage(_("报文字段格式不正确"))
    except MalformedMessage:
        raise
    except (ExpatError, ValueError, KeyError, TypeError, AttributeError):
        raise MalformedMessage(_("报文不是有效的XML消息")) from None
    return message


def message_open(*, account: WechatAccount, params: Mapping[str, str], body: bytes) -> Inbound:
    """Authenticate (after `signature_verify`) and parse a pushed message; raises and stores nothing."""
    if not body or len(body) > MAX_BODY_BYTES:
        raise MalformedMessage(_("报文为空或过大"))
    if account.safe_mode:
        xml: str | bytes = _decrypt(account=account, params=params, body=body)
        encrypted = True
    else:
        xml, encrypted = body, False
    return Inbound(message=_parse(xml), encrypted=encrypted, timestamp=params["timestamp"], nonce=params["nonce"])


def reply_render(*, account: WechatAccount, inbound: Inbound, text: str, now: datetime) -> str:
    """The passive reply: a TextReply, encrypted in safe mode; "success" when there is nothing to say."""
    if not text:
        return EMPTY_REPLY
    xml = TextReply(message=inbound.message, content=text, time=int(now.timestamp())).render()
    if not inbound.encrypted:
        return xml
    crypto = WeChatCrypto(account.token, account.encoding_aes_key, account.app_id)
    return crypto.encrypt_message(xml, inbound.nonce, inbound.timestamp)
