"""What the channels need to remember: idempotency keys, device sources and alarms, replay nonces."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.estates.models import Equipment, Estate
from guanjia.people.pii import EncryptedTextField


class ChannelSettings(models.Model):
    """Per-estate intake rules; an estate without a row uses the defaults below."""

    estate = models.OneToOneField(
        Estate, on_delete=models.CASCADE, related_name="channel_settings", verbose_name=_("项目")
    )
    dedupe_minutes = models.PositiveIntegerField(
        _("重复报事合并窗口(分钟)"), default=240, help_text=_("同一房屋同一细类在此时间内再次报事，并入原工单")
    )
    group_minutes = models.PositiveIntegerField(
        _("公共故障归并窗口(分钟)"), default=120, help_text=_("多户报同一公共故障，归到一张主单下")
    )

    class Meta:
        verbose_name = _("渠道设置")
        verbose_name_plural = _("渠道设置")

    def __str__(self) -> str:
        return str(self.estate)


class IdempotencyKey(models.Model):
    """A client's retry key: the same key from the same user returns the first ticket, never a second."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return self.key


class DeviceSource(models.Model):
    """A system that may post alarms for an estate (lift monitoring, BMS, fire panel gateway), with its key."""

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="device_sources", verbose_name=_("项目"))
    name = models.CharField(_("名称"), max_length=100)
    secret = EncryptedTextField(_("签名密钥"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("设备告警来源")
        verbose_name_plural = _("设备告警来源")

    def __str__(self) -> str:
        return self.name


class DeviceAlarm(models.Model):
    class Kind(models.TextChoices):
        ALARM = "alarm", _("告警")
        RECOVERY = "recovery", _("恢复")

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="+", verbose_name=_("项目"))
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="alarms", verbose_name=_("设备"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    fault = models.CharField(_("故障代码"), max_length=50)
    message = models.CharField(_("内容"), max_length=200, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("工单")
    )
    received_at = models.DateTimeField(_("接收时间"))
    payload = models.JSONField(_("原始报文"), default=dict)

    class Meta:
        verbose_name = _("设备告警")
        verbose_name_plural = _("设备告警")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["equipment", "fault", "received_at"], name="alarm_equipment_fault")]

    def __str__(self) -> str:
        return f"{self.equipment} {self.fault}"


class SeenSignature(models.Model):
    """Signatures already accepted, kept past the 5-minute window, so a captured call can't be replayed."""

    digest = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.digest
