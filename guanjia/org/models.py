from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.estates.models import Estate
from guanjia.org.roles import Capability, Role, role_can


class Department(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER_SERVICE = "customer_service", _("客服中心")
        ENGINEERING = "engineering", _("工程部")
        SECURITY = "security", _("秩序维护部")
        ENVIRONMENT = "environment", _("环境部")
        FINANCE = "finance", _("财务")

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="departments", verbose_name=_("项目"))
    kind = models.CharField(_("部门"), max_length=30, choices=Kind.choices)
    phone = models.CharField(_("部门电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["estate", "kind"]
        constraints = [models.UniqueConstraint(fields=["estate", "kind"], name="department_unique_in_estate")]

    def __str__(self) -> str:
        return f"{self.estate.name} {self.get_kind_display()}"


class Staff(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff", verbose_name=_("登录账号")
    )
    name = models.CharField(_("姓名"), max_length=50)
    employee_no = models.CharField(_("工号"), max_length=20, unique=True)
    role = models.CharField(_("岗位角色"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("所属部门")
    )
    estates = models.ManyToManyField(Estate, related_name="staff", verbose_name=_("负责项目"))
    phone = models.CharField(_("工作电话"), max_length=20, blank=True)
    skills = models.CharField(_("技能"), max_length=200, blank=True, help_text=_("逗号分隔，如 水电,电梯"))
    active = models.BooleanField(_("在职"), default=True)

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")
        ordering = ["employee_no"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    def can(self, capability: Capability) -> bool:
        return self.active and role_can(self.role, capability)


class Shift(models.Model):
    """A named shift of an estate's roster; an overnight shift ends the next day."""

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("项目"))
    name = models.CharField(_("班次"), max_length=30, help_text=_("如 白班、夜班"))
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["estate", "starts_at"]
        constraints = [models.UniqueConstraint(fields=["estate", "name"], name="shift_name_unique_in_estate")]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"

    @property
    def overnight(self) -> bool:
        return self.ends_at <= self.starts_at


class DutyAssignment(models.Model):
    """One person on one shift on one day (排班); on-call staff are reachable but not on site."""

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="duties", verbose_name=_("项目"))
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="duties", verbose_name=_("员工"))
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="duties", verbose_name=_("班次"))
    date = models.DateField(_("日期"))
    on_call = models.BooleanField(_("备班（电话待命）"), default=False)

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        ordering = ["date", "shift__starts_at"]
        constraints = [models.UniqueConstraint(fields=["staff", "date", "shift"], name="duty_unique")]
        indexes = [models.Index(fields=["estate", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.shift.name} {self.staff.name}"
