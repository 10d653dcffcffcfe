"""Company → estate (项目) → building → unit; parking spaces, common areas, the equipment ledger.

Every row below the company carries its estate key, so each table can be sharded by estate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Company(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("物业公司")
        verbose_name_plural = _("物业公司")

    def __str__(self) -> str:
        return self.name


class Estate(models.Model):
    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", _("住宅")
        OFFICE = "office", _("写字楼")
        COMMERCIAL = "commercial", _("商业")
        MIXED = "mixed", _("综合体")

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="estates", verbose_name=_("公司"))
    code = models.SlugField(_("项目代码"), max_length=10, unique=True, help_text=_("工单编号前缀，如 HY"))
    name = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("业态"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    city = models.CharField(_("城市"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    class Use(models.TextChoices):
        RESIDENTIAL = "residential", _("住宅")
        OFFICE = "office", _("办公")
        HOTEL = "hotel", _("酒店")
        RETAIL = "retail", _("商业")
        PARKING = "parking", _("车库")

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("项目"))
    code = models.CharField(_("楼栋编号"), max_length=20, help_text=_("如 3 或 A"))
    name = models.CharField(_("楼栋名称"), max_length=50, help_text=_("如 3栋、A座"))
    use = models.CharField(_("用途"), max_length=20, choices=Use.choices, default=Use.RESIDENTIAL)
    floors = models.PositiveSmallIntegerField(_("地上层数"), default=1)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["estate", "code"]
        constraints = [models.UniqueConstraint(fields=["estate", "code"], name="building_code_unique_in_estate")]

    def __str__(self) -> str:
        return f"{self.estate.name} {self.name}"


class Unit(models.Model):
    """A room owners and tenants live or work in; `code` is what clerks type: 3-2-1102 or A-2305."""

    class Use(models.TextChoices):
        RESIDENCE = "residence", _("住宅")
        OFFICE = "office", _("办公")
        SHOP = "shop", _("商铺")
        HOTEL = "hotel", _("酒店")
        STORAGE = "storage", _("储藏间")

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="units", verbose_name=_("项目"))
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units", verbose_name=_("楼栋"))
    entrance = models.CharField(_("单元"), max_length=10, blank=True)
    floor = models.SmallIntegerField(_("楼层"))
    number = models.CharField(_("房号"), max_length=20)
    code = models.CharField(_("房屋编码"), max_length=40, db_index=True, editable=False)
    area = models.DecimalField(_("建筑面积(㎡)"), max_digits=9, decimal_places=2)
    use = models.CharField(_("用途"), max_length=20, choices=Use.choices, default=Use.RESIDENCE)

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        ordering = ["estate", "code"]
        constraints = [models.UniqueConstraint(fields=["estate", "code"], name="unit_code_unique_in_estate")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        # Invariant, not workflow: the code clerks search by always matches the parts.
        self.code = self.make_code(building_code=self.building.code, entrance=self.entrance, number=self.number)
        super().save(*args, **kwargs)

    @staticmethod
    def make_code(*, building_code: str, entrance: str, number: str) -> str:
        return "-".join(part for part in (building_code, entrance, number) if part)


class ParkingSpace(models.Model):
    class Kind(models.TextChoices):
        OWNED = "owned", _("产权车位")
        RENTAL = "rental", _("租赁车位")
        VISITOR = "visitor", _("临停车位")

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="parking_spaces", verbose_name=_("项目"))
    code = models.CharField(_("车位编号"), max_length=20)
    zone = models.CharField(_("区域"), max_length=50, blank=True, help_text=_("如 B1 区"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.RENTAL)
    has_charger = models.BooleanField(_("充电桩"), default=False)

    class Meta:
        verbose_name = _("车位")
        verbose_name_plural = _("车位")
        ordering = ["estate", "code"]
        constraints = [models.UniqueConstraint(fields=["estate", "code"], name="parking_code_unique_in_estate")]

    def __str__(self) -> str:
        return self.code


class CommonArea(models.Model):
    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="common_areas", verbose_name=_("项目"))
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, null=True, blank=True, related_name="common_areas", verbose_name=_("楼栋")
    )
    name = models.CharField(_("名称"), max_length=100, help_text=_("如 3栋大堂、中心花园、地下车库B1"))

    class Meta:
        verbose_name = _("公共区域")
        verbose_name_plural = _("公共区域")
        ordering = ["estate", "name"]

    def __str__(self) -> str:
        return self.name


class Equipment(models.Model):
    """The equipment ledger (设备台账)."""

    class Kind(models.TextChoices):
        LIFT = "lift", _("电梯")
        PUMP = "pump", _("水泵")
        GATE = "gate", _("道闸/门禁")
        FIRE_PANEL = "fire_panel", _("消防主机")
        CAMERA = "camera", _("监控摄像机")
        TRANSFORMER = "transformer", _("变配电")
        HVAC = "hvac", _("空调机组")
        GENERATOR = "generator", _("发电机")

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="equipment", verbose_name=_("项目"))
    code = models.CharField(_("设备编号"), max_length=30)
    name = models.CharField(_("设备名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, related_name="equipment", verbose_name=_("楼栋")
    )
    location = models.CharField(_("安装位置"), max_length=100)
    model_number = models.CharField(_("型号"), max_length=100, blank=True)
    manufacturer = models.CharField(_("品牌"), max_length=100, blank=True)
    maintenance_vendor = models.CharField(_("维保单位"), max_length=100, blank=True)
    vendor_phone = models.CharField(_("维保电话"), max_length=30, blank=True)
    installed_on = models.DateField(_("启用日期"), null=True, blank=True)
    last_serviced_on = models.DateField(_("上次保养"), null=True, blank=True)
    next_service_due = models.DateField(_("下次保养"), null=True, blank=True)

    class Meta:
        verbose_name = _("设备台账")
        verbose_name_plural = _("设备台账")
        ordering = ["estate", "code"]
        constraints = [models.UniqueConstraint(fields=["estate", "code"], name="equipment_code_unique_in_estate")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# Appended after the estate models; kept here rather than in the import block to keep merges small.


class ImportJob(models.Model):
    """One uploaded workbook and how its import went; the status page polls `done`/`total`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("导入中")
        SUCCEEDED = "succeeded", _("导入成功")
        FAILED = "failed", _("导入失败")

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("项目"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("导入人")
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Deleted once the job has run: it holds phones and ID numbers in clear.
    file = models.FileField(_("导入文件"), upload_to="imports/", blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("总步数"), default=0)
    done = models.PositiveIntegerField(_("已完成步数"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    summary = models.JSONField(_("导入结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.estate} #{self.pk} {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
