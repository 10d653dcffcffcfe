"""The WeChat Official Account (微信公众号) channel: one account per estate, its followers, and a log of
what the platform pushed to us.

The log doubles as the idempotency record: WeChat retries a message it got no answer to within five
seconds (three times, same MsgId), and a retry must never open a second ticket.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.estates.models import Estate
from guanjia.people.models import Resident
from guanjia.people.pii import EncryptedTextField, mask_phone


def validate_token(value: str) -> None:
    # The platform's own rule for the 令牌 field of 服务器配置.
    if not re.fullmatch(r"[A-Za-z0-9]{3,32}", value or ""):
        raise ValidationError(_("令牌(Token)应为3-32位英文字母或数字"))


def validate_aes_key(value: str) -> None:
    if value and not re.fullmatch(r"[A-Za-z0-9]{43}", value):
        raise ValidationError(_("消息加解密密钥(EncodingAESKey)应为43位英文字母或数字"))


class WechatAccount(models.Model):
    """An estate's Official Account, as configured under 开发 → 基本配置 → 服务器配置."""

    estate = models.OneToOneField(
        Estate, on_delete=models.CASCADE, related_name="wechat_account", verbose_name=_("项目")
    )
    name = models.CharField(_("公众号名称"), max_length=100, blank=True)
    app_id = models.CharField(_("开发者ID(AppID)"), max_length=32, unique=True)
    # Secrets: encrypted at rest like every other credential we hold.
    token = EncryptedTextField(_("令牌(Token)"), validators=[validate_token])
    encoding_aes_key = EncryptedTextField(
        _("消息加解密密钥(EncodingAESKey)"),
        blank=True,
        validators=[validate_aes_key],
        help_text=_("留空为明文模式；填写则为安全模式，只接受加密消息"),
    )
    app_secret = EncryptedTextField(
        _("开发者密码(AppSecret)"), blank=True, help_text=_("可选：调用主动接口（如下载图片素材）时使用")
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("微信公众号")
        verbose_name_plural = _("微信公众号")

    def __str__(self) -> str:
        return self.name or self.app_id

    @property
    def safe_mode(self) -> bool:
        return bool(self.encoding_aes_key)


class Follower(models.Model):
    """A WeChat user (openid) who follows the account; bound to a resident once they prove the phone."""

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="+", verbose_name=_("项目"))
    account = models.ForeignKey(
        WechatAccount, on_delete=models.CASCADE, related_name="followers", verbose_name=_("公众号")
    )
    openid = models.CharField(_("OpenID"), max_length=64)
    resident = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wechat_followers",
        verbose_name=_("绑定住户"),
    )
    bound_at = models.DateTimeField(_("绑定时间"), null=True, blank=True)
    subscribed = models.BooleanField(_("关注中"), default=True)
    first_seen_at = models.DateTimeField(_("首次消息时间"))
    # Binding in progress: the phone they typed, and a digest of the SMS code (never the code itself).
    pending_phone = models.CharField(_("待验证手机号"), max_length=20, blank=True)
    code_digest = models.CharField(max_length=64, blank=True, editable=False)
    code_sent_at = models.DateTimeField(_("验证码发送时间"), null=True, blank=True, editable=False)
    code_expires_at = models.DateTimeField(_("验证码有效期至"), null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(_("验证码错误次数"), default=0, editable=False)

    class Meta:
        verbose_name = _("公众号粉丝")
        verbose_name_plural = _("公众号粉丝")
        ordering = ["-first_seen_at"]
        constraints = [models.UniqueConstraint(fields=["account", "openid"], name="wechat_follower_unique")]

    def __str__(self) -> str:
        return f"{self.openid} → {self.resident}" if self.resident_id else self.openid

    @property
    def pending_phone_masked(self) -> str:
        return mask_phone(self.pending_phone)


class InboundMessage(models.Model):
    """Every authentic message or event the platform pushed, with the answer we gave.

    `msg_id` is the platform's MsgId; events carry none, so they are keyed "event:<openid>:<CreateTime>"
    as the platform's documentation suggests for de-duplicating them.
    """

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="+", verbose_name=_("项目"))
    account = models.ForeignKey(
        WechatAccount, on_delete=models.CASCADE, related_name="messages", verbose_name=_("公众号")
    )
    msg_id = models.CharField(_("消息ID"), max_length=100)
    openid = models.CharField(_("OpenID"), max_length=64)
    msg_type = models.CharField(_("消息类型"), max_length=20)
    event = models.CharField(_("事件"), max_length=30, blank=True)
    content = models.TextField(
        _("内容"), blank=True, help_text=_("文字、语音识别结果；绑定消息中的手机号和验证码已打码")
    )
    media_id = models.CharField(_("素材ID(MediaId)"), max_length=128, blank=True)
    pic_url = models.URLField(_("图片链接(PicUrl)"), max_length=500, blank=True)
    encrypted = models.BooleanField(_("加密传输"), default=False)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("工单")
    )
    reply = models.TextField(_("被动回复"), blank=True)
    received_at = models.DateTimeField(_("接收时间"))

    class Meta:
        verbose_name = _("公众号消息")
        verbose_name_plural = _("公众号消息")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["account", "msg_id"], name="wechat_message_unique")]
        indexes = [models.Index(fields=["account", "openid", "-received_at"], name="wechat_message_openid")]

    def __str__(self) -> str:
        return f"{self.openid} {self.msg_type} {self.received_at:%Y-%m-%d %H:%M}"
