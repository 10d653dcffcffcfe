from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.estates.models import Estate


class Notification(models.Model):
    """The outbox: every message Guanjia owes someone. Adapters (SMS, WeChat, email, in-app) send from here."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("站内")
        SMS = "sms", _("短信")
        WECHAT = "wechat", _("微信模板消息")
        EMAIL = "email", _("邮件")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    address = models.CharField(_("地址/号码"), max_length=200, blank=True)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices, default=Channel.IN_APP)
    template = models.CharField(_("模板"), max_length=50)
    body = models.TextField(_("内容"))
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("工单")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # Delivery bookkeeping: how often we tried, why the last try failed, and when the next one is due
    # (empty = due now). Written only by notify.services.notifications_deliver.
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            # The delivery sweep asks for pending rows whose next attempt is due.
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient_id or self.address}"
