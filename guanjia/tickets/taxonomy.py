"""The labels of shared/triage/TAXONOMY.md: request type, category (→ department) and urgency.

Tickets, triage, routing, promises and reports all use these keys.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestType(models.TextChoices):
    REPAIR = "repair", _("报修")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    INQUIRY = "inquiry", _("咨询")
    BUSINESS = "business", _("业务办理")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("紧急")
    URGENT = "urgent", _("加急")
    NORMAL = "normal", _("一般")
    PLANNED = "planned", _("计划")


class Category(models.TextChoices):
    WATER = "water", _("给排水")
    ELECTRICAL = "electrical", _("供电照明")
    ELEVATOR = "elevator", _("电梯")
    ACCESS_CONTROL = "access_control", _("门禁对讲/道闸/监控")
    BUILDING = "building", _("房屋本体")
    FACILITIES = "facilities", _("公共设施")
    GAS_HEATING = "gas_heating", _("燃气/供暖/空调")
    FIRE_SAFETY = "fire_safety", _("消防设施与通道")
    SECURITY = "security", _("治安")
    PARKING = "parking", _("车辆停放")
    NOISE = "noise", _("噪音扰民")
    PETS = "pets", _("宠物管理")
    SANITATION = "sanitation", _("环境卫生")
    GREENING = "greening", _("绿化养护")
    PEST = "pest", _("消杀")
    DECORATION = "decoration", _("装修")
    NEIGHBOR = "neighbor", _("邻里纠纷")
    STAFF_CONDUCT = "staff_conduct", _("服务态度与员工行为")
    FEES = "fees", _("费用账单")
    PARKING_RENTAL = "parking_rental", _("车位租赁")
    MOVE_IN_OUT = "move_in_out", _("入伙/迁入迁出")
    KEYS_VISITORS = "keys_visitors", _("钥匙/访客/放行")
    COMMUNITY = "community", _("社区活动与公告")
    GENERAL = "general", _("其他一般事务")


_ENGINEERING = ("water", "electrical", "elevator", "access_control", "building", "facilities", "gas_heating")
_SECURITY = ("fire_safety", "security", "parking", "noise", "pets")
_ENVIRONMENT = ("sanitation", "greening", "pest")
_FINANCE = ("fees",)

CATEGORY_DEPARTMENT: dict[str, str] = {
    **dict.fromkeys(_ENGINEERING, "engineering"),
    **dict.fromkeys(_SECURITY, "security"),
    **dict.fromkeys(_ENVIRONMENT, "environment"),
    **dict.fromkeys(_FINANCE, "finance"),
}


def department_for(category: str) -> str:
    """The Department.Kind that owns a category; everything not listed belongs to customer service."""
    return CATEGORY_DEPARTMENT.get(category, "customer_service")
