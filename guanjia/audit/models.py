from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who read or changed what, when and why. Written only, never edited."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("查看个人信息")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        CHANGE = "change", _("修改")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    estate_id = models.BigIntegerField(_("项目ID"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=50)
    object_id = models.CharField(_("对象ID"), max_length=50)
    fields = models.CharField(_("字段"), max_length=200, blank=True)
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    channel = models.CharField(_("渠道"), max_length=20, blank=True, help_text=_("page / api / admin"))
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_type}#{self.object_id}"
