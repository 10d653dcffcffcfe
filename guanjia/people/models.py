from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.estates.models import Estate, Unit
from guanjia.people.pii import EncryptedTextField, mask_id_number, mask_phone


class Resident(models.Model):
    """A person known to one estate's service centre: owner, tenant or household member.

    Phone and ID number are personal data: read them through `people.services.resident_reveal`,
    which audits; everywhere else use the masked properties.
    """

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="residents", verbose_name=_("项目"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
        verbose_name=_("业主端账号"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    # Search keys derived from the name (陈静 → chenjing / cj); kept by people.services.
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, editable=False, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=50, editable=False, db_index=True)
    phone = models.CharField(_("手机号"), max_length=20, db_index=True, help_text=_("E.164 格式保存"))
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    is_vip = models.BooleanField(_("VIP/重点客户"), default=False)
    # Care profile (关爱档案)
    lives_alone_elderly = models.BooleanField(_("独居老人"), default=False)
    disability = models.CharField(_("残障/行动不便说明"), max_length=100, blank=True)
    emergency_contact_name = models.CharField(_("紧急联系人"), max_length=50, blank=True)
    emergency_contact_phone = models.CharField(_("紧急联系人电话"), max_length=20, blank=True)
    # Service preferences and consent
    preferred_contact = models.CharField(
        _("首选联系方式"),
        max_length=20,
        choices=[("phone", _("电话")), ("sms", _("短信")), ("wechat", _("微信")), ("email", _("邮件"))],
        default="phone",
    )
    quiet_hours = models.CharField(_("勿扰时段"), max_length=30, blank=True, help_text=_("如 12:00-14:00"))
    consents_to_notifications = models.BooleanField(_("同意接收通知"), default=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        ordering = ["estate", "name"]
        indexes = [models.Index(fields=["estate", "name_initials"])]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def emergency_contact_phone_masked(self) -> str:
        return mask_phone(self.emergency_contact_phone)

    @property
    def needs_care(self) -> bool:
        return self.lives_alone_elderly or bool(self.disability)


class Occupancy(models.Model):
    """A resident's tie to a unit over time: owners, tenants and household members move in and out."""

    class Relation(models.TextChoices):
        OWNER = "owner", _("业主")
        TENANT = "tenant", _("租户")
        MEMBER = "member", _("家庭成员")

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="occupancies", verbose_name=_("项目"))
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="occupancies", verbose_name=_("住户"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="occupancies", verbose_name=_("房屋"))
    relation = models.CharField(_("身份"), max_length=10, choices=Relation.choices)
    moved_in_on = models.DateField(_("入住日期"), null=True, blank=True)
    moved_out_on = models.DateField(_("迁出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("入住关系")
        verbose_name_plural = _("入住关系")
        ordering = ["unit", "relation"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(moved_out_on__isnull=True)
                | models.Q(moved_in_on__isnull=True)
                | models.Q(moved_out_on__gte=models.F("moved_in_on")),
                name="occupancy_moves_out_after_moving_in",
                violation_error_message=_("迁出日期不能早于入住日期"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.resident} ({self.get_relation_display()})"

    @property
    def current(self) -> bool:
        return self.moved_out_on is None
