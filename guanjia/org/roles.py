"""Roles and what each may do: the one table to read when asking "who may …?"."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("前台客服")
    COMPLAINT_HANDLER = "complaint_handler", _("投诉处理")
    ENGINEERING_LIAISON = "engineering_liaison", _("工程对接")
    TECHNICIAN = "technician", _("维修技师")
    SECURITY_OFFICER = "security_officer", _("秩序维护员")
    CLEANER = "cleaner", _("保洁员")
    ANALYST = "analyst", _("数据分析")
    SUPERVISOR = "supervisor", _("客服主管")
    CENTRE_MANAGER = "centre_manager", _("客服中心经理")
    ESTATE_MANAGER = "estate_manager", _("项目经理")
    COMPANY_ADMIN = "company_admin", _("公司管理员")


class Capability(models.TextChoices):
    REVEAL_PII = "reveal_pii", _("查看完整个人信息")
    MANAGE_RESIDENTS = "manage_residents", _("维护住户档案")
    MANAGE_ESTATES = "manage_estates", _("维护项目房产")
    MANAGE_STAFF = "manage_staff", _("维护员工与排班")
    IMPORT_DATA = "import_data", _("导入导出数据")
    USE_ADMIN = "use_admin", _("使用管理后台")
    ALL_ESTATES = "all_estates", _("查看公司全部项目")


_MANAGERS = {Role.SUPERVISOR, Role.CENTRE_MANAGER, Role.ESTATE_MANAGER, Role.COMPANY_ADMIN}

ROLE_CAPABILITIES: dict[Capability, frozenset[Role]] = {
    # Callbacks and complaint handling need the real number; technicians and analysts never do.
    Capability.REVEAL_PII: frozenset({Role.FRONT_DESK, Role.COMPLAINT_HANDLER, *_MANAGERS}),
    Capability.MANAGE_RESIDENTS: frozenset({Role.FRONT_DESK, *_MANAGERS}),
    Capability.MANAGE_ESTATES: frozenset({Role.ESTATE_MANAGER, Role.COMPANY_ADMIN}),
    Capability.MANAGE_STAFF: frozenset({Role.CENTRE_MANAGER, Role.ESTATE_MANAGER, Role.COMPANY_ADMIN}),
    Capability.IMPORT_DATA: frozenset({Role.ESTATE_MANAGER, Role.COMPANY_ADMIN}),
    Capability.USE_ADMIN: frozenset({Role.FRONT_DESK, Role.ANALYST, *_MANAGERS}),
    Capability.ALL_ESTATES: frozenset({Role.COMPANY_ADMIN}),
}


def role_can(role: str, capability: Capability) -> bool:
    return role in ROLE_CAPABILITIES[capability]
