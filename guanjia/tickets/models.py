"""The work order (工单) and what hangs off it: events, photos, materials, rating, callbacks.

Workflows live in tickets/services/; models hold data and invariants only. Every table carries its
estate key so it can be sharded by estate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.estates.models import CommonArea, Equipment, Estate, Unit
from guanjia.org.models import Department, Staff
from guanjia.people.models import Resident
from guanjia.tickets.taxonomy import Category, RequestType, Urgency


class State(models.TextChoices):
    NEW = "new", _("待派单")
    ASSIGNED = "assigned", _("已派单")
    ACCEPTED = "accepted", _("已接单")
    IN_PROGRESS = "in_progress", _("处理中")
    RESOLVED = "resolved", _("已完成")
    CONFIRMED = "confirmed", _("业主已确认")
    CALLED_BACK = "called_back", _("已回访")
    CLOSED = "closed", _("已关闭")
    ON_HOLD = "on_hold", _("挂起")
    ESCALATED = "escalated", _("已升级")
    REOPENED = "reopened", _("重新打开")
    CANCELLED = "cancelled", _("已取消")
    MERGED = "merged", _("已合并")


# A tuple, not a set: the same SQL every time, so the partial index on open tickets matches the queue's query.
TERMINAL_STATES = (State.CANCELLED, State.CLOSED, State.MERGED)
# The work is done (only the owner's confirmation and the callback may remain).
FINISHED_STATES = frozenset(TERMINAL_STATES) | {State.RESOLVED, State.CONFIRMED, State.CALLED_BACK}


class Channel(models.TextChoices):
    FRONT_DESK = "front_desk", _("前台")
    HOTLINE = "hotline", _("热线")
    APP = "app", _("业主App/小程序")
    WECHAT = "wechat", _("微信公众号")
    EMAIL = "email", _("邮件")
    IOT = "iot", _("设备告警")
    SUGGESTION_BOX = "suggestion_box", _("意见箱")
    API = "api", _("接口")
    PATROL = "patrol", _("巡查")


class Ticket(models.Model):
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("项目"))
    number = models.CharField(_("工单编号"), max_length=30, unique=True)
    request_type = models.CharField(_("诉求类型"), max_length=20, choices=RequestType.choices)
    category = models.CharField(_("细类"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("紧急程度"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    sensitive = models.BooleanField(_("高敏感"), default=False)
    major = models.BooleanField(_("重大投诉"), default=False, help_text=_("敏感、群体或重复投诉"))
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("房屋"))
    common_area = models.ForeignKey(
        CommonArea, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("公共区域")
    )
    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("设备"))
    requester = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("报事人")
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    description = models.TextField(_("描述"))
    preferred_visit_at = models.DateTimeField(_("预约上门时间"), null=True, blank=True)
    first_contact = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("首问责任人")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("处理部门")
    )
    assignee = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("处理人"),
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.NEW)
    held_from = models.CharField(_("挂起前状态"), max_length=20, choices=State.choices, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, help_text=_("乐观锁：每次变更加一"))
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("合并到")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("公共故障主单")
    )
    needs_review = models.BooleanField(_("待人工分诊"), default=False, help_text=_("自动分诊置信度低"))
    triage = models.JSONField(_("自动分诊结果"), default=dict, blank=True)
    plan = models.TextField(_("跨部门处理方案"), blank=True)
    flagged = models.BooleanField(_("回访不满意标记"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("重开次数"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("升级层级"), default=0)

    created_at = models.DateTimeField(_("创建时间"))
    acknowledged_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    held_at = models.DateTimeField(_("挂起时间"), null=True, blank=True)

    # Service-promise clocks: the next due time of each, and when the sweep must look next.
    ack_due_at = models.DateTimeField(_("响应时限"), null=True, blank=True)
    arrive_due_at = models.DateTimeField(_("到场/首次答复时限"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("解决时限"), null=True, blank=True)
    statutory_due_at = models.DateTimeField(_("书面答复法定时限"), null=True, blank=True)
    callback_due_at = models.DateTimeField(_("回访时限"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("下次检查"), null=True, blank=True)
    clock_marks = models.JSONField(_("时限提醒记录"), default=dict, blank=True)
    calendar_warning = models.CharField(_("日历提示"), max_length=200, blank=True)

    signature = models.ImageField(_("业主签名"), upload_to="signatures/%Y/%m/", blank=True)
    confirmation_code_digest = models.CharField(max_length=64, blank=True, editable=False)
    confirmation_code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    report = models.FileField(_("服务报告"), upload_to="reports/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["next_check_at"], name="ticket_next_check"),
            models.Index(fields=["estate", "state", "-created_at"], name="ticket_estate_state"),
            models.Index(fields=["estate", "-created_at"], name="ticket_estate_created"),
            # The default queue (open tickets, newest first) and its count read this one: a tenth of the rows.
            models.Index(
                fields=["estate", "-created_at", "-id"],
                condition=~models.Q(state__in=TERMINAL_STATES),
                name="ticket_open_estate_created",
            ),
            models.Index(fields=["assignee", "state"], name="ticket_assignee_state"),
            models.Index(fields=["department", "state"], name="ticket_department_state"),
            models.Index(fields=["estate", "callback_due_at"], name="ticket_callback_due"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state not in TERMINAL_STATES


class Event(models.Model):
    """One line of a ticket's timeline: who did what, when, from which channel, and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("创建")
        TRANSITION = "transition", _("状态变更")
        NOTE = "note", _("备注")
        PHOTO = "photo", _("上传照片")
        MATERIAL = "material", _("物资申领")
        WARNING = "warning", _("时限预警")
        BREACH = "breach", _("超时")
        ESCALATION = "escalation", _("升级")
        RATING = "rating", _("评价")
        CALLBACK = "callback", _("回访")
        CONFIRMATION = "confirmation", _("业主确认")
        RELABEL = "relabel", _("更正分类")
        REPORT = "report", _("服务报告")

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目"))
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("工单"))
    at = models.DateTimeField(_("时间"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    action = models.CharField(_("动作"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("操作人")
    )
    channel = models.CharField(_("渠道"), max_length=20, blank=True)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices, blank=True)
    reason = models.TextField(_("原因/说明"), blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("工单事件")
        verbose_name_plural = _("工单事件")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="event_ticket_at")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Photo(models.Model):
    class Stage(models.TextChoices):
        REPORTED = "reported", _("报事照片")
        BEFORE = "before", _("维修前")
        AFTER = "after", _("维修后")

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目"))
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="photos", verbose_name=_("工单"))
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices)
    image = models.ImageField(_("图片"), upload_to="tickets/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("工单照片")
        verbose_name_plural = _("工单照片")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_stage_display()}"


class MaterialRequest(models.Model):
    """物资申领: parts a technician needs from the store for a job."""

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目"))
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="materials", verbose_name=_("工单"))
    item = models.CharField(_("物资名称"), max_length=100)
    quantity = models.DecimalField(_("数量"), max_digits=9, decimal_places=2)
    unit_of_measure = models.CharField(_("单位"), max_length=10, default="个")
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, verbose_name=_("申领人"))
    requested_at = models.DateTimeField(_("申领时间"))

    class Meta:
        verbose_name = _("物资申领")
        verbose_name_plural = _("物资申领")
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="material_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}{self.unit_of_measure}"


class Rating(models.Model):
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目"))
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating", verbose_name=_("工单"))
    speed = models.PositiveSmallIntegerField(_("及时性"))
    professionalism = models.PositiveSmallIntegerField(_("专业性"))
    attitude = models.PositiveSmallIntegerField(_("服务态度"))
    comment = models.TextField(_("评价内容"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(speed__range=(1, 5), professionalism__range=(1, 5), attitude__range=(1, 5)),
                name="rating_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.speed}/{self.professionalism}/{self.attitude}"

    @property
    def overall(self) -> int:
        return round((self.speed + self.professionalism + self.attitude) / 3)


class Callback(models.Model):
    """A callback task (回访) for the callback clerk, due within 48 hours of resolution."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待回访")
        SATISFIED = "satisfied", _("满意")
        NOT_SATISFIED = "not_satisfied", _("不满意")
        UNREACHABLE = "unreachable", _("联系不上")

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目"))
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="callbacks", verbose_name=_("工单"))
    attempt = models.PositiveSmallIntegerField(_("第几次"), default=1)
    due_at = models.DateTimeField(_("回访时限"))
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    notes = models.TextField(_("回访记录"), blank=True)
    done_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("回访人")
    )
    done_at = models.DateTimeField(_("回访时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["estate", "outcome", "due_at"], name="callback_desk")]

    def __str__(self) -> str:
        return f"{self.ticket_id} #{self.attempt} {self.get_outcome_display()}"


class ServicePolicy(models.Model):
    """An estate's own service promise for one request type (and urgency); DESIGN.md's table is the default."""

    estate = models.ForeignKey(
        Estate, on_delete=models.CASCADE, related_name="service_policies", verbose_name=_("项目")
    )
    request_type = models.CharField(_("诉求类型"), max_length=20, choices=RequestType.choices)
    urgency = models.CharField(_("紧急程度"), max_length=20, choices=Urgency.choices, blank=True)
    major = models.BooleanField(_("重大投诉"), default=False)
    ack_minutes = models.PositiveIntegerField(_("响应(分钟)"), null=True, blank=True)
    arrive_minutes = models.PositiveIntegerField(_("到场/首次答复(分钟)"), null=True, blank=True)
    resolve_minutes = models.PositiveIntegerField(_("解决(分钟)"), null=True, blank=True)
    resolve_working_days = models.PositiveSmallIntegerField(_("解决(工作日)"), null=True, blank=True)
    callback_hours = models.PositiveSmallIntegerField(_("回访(小时)"), default=48)
    warn_percent = models.PositiveSmallIntegerField(_("预警比例(%)"), default=80)

    class Meta:
        verbose_name = _("服务承诺")
        verbose_name_plural = _("服务承诺")
        constraints = [
            models.UniqueConstraint(fields=["estate", "request_type", "urgency", "major"], name="policy_unique"),
            models.CheckConstraint(condition=models.Q(warn_percent__range=(1, 99)), name="policy_warn_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.estate_id} {self.get_request_type_display()} {self.get_urgency_display()}"


class Holiday(models.Model):
    """A day that differs from the Monday–Friday week: an official holiday, or a weekend made a working day."""

    date = models.DateField(_("日期"), unique=True)
    name = models.CharField(_("名称"), max_length=50)
    is_working_day = models.BooleanField(_("调休上班"), default=False)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class HolidayYear(models.Model):
    """A year whose holidays are known (seeded from chinese-calendar or entered by an admin)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=50, default="chinese-calendar")

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class TicketSequence(models.Model):
    """The last ticket number issued per estate and day, so numbers read HY-20261122-0042."""

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["estate", "day"], name="ticket_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.estate_id} {self.day} {self.last}"


class LabelCorrection(models.Model):
    """A clerk's correction of automatic triage: kept as training data for `guanjia triage retrain`."""

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目"))
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("工单"))
    text = models.TextField(_("原文"))
    before = models.JSONField(_("更正前"))
    after = models.JSONField(_("更正后"))
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("更正人"))
    corrected_at = models.DateTimeField(_("更正时间"))

    class Meta:
        verbose_name = _("分诊更正")
        verbose_name_plural = _("分诊更正")
        ordering = ["-corrected_at"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.before} → {self.after}"
