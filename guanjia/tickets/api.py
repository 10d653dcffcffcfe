"""The work order over REST: list, detail, intake and every action, for the app and integrations.

The views only translate. Scoping comes from tickets/selectors.py (another estate's ticket is a 404),
every write is one service from tickets/services/, and the state machine is lifecycle.py.

How errors read, for every action (POST /api/v1/tickets/{id}/{action}/):

- 404 — the caller may not see the ticket (another estate, another owner's ticket).
- 403 {"detail"} — the caller's role may not do this action on this ticket (`lifecycle.person_may`).
- 400 {"field": [messages]} — bad input; {"detail": message} — the action is not allowed from the
  ticket's current state (`lifecycle.state_allows`, or any other refusal the service raises).
- 409 {"detail", "ticket"} — the body's `version` is not the ticket's: someone acted first; `ticket`
  is the fresh state to show before trying again.

Checks run in that order; nothing changes on any error. State-changing bodies carry `version`;
photos, materials, ratings and the confirmation code add to the ticket without bumping it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.estates.models import CommonArea, Equipment
from guanjia.estates.selectors import parse_unit_code, units_for_user
from guanjia.org.models import Department, Staff
from guanjia.org.selectors import estates_for_user, staff_for_user
from guanjia.people.pii import mask_phone, normalise_phone
from guanjia.people.selectors import residents_for_user
from guanjia.tickets import services
from guanjia.tickets.lifecycle import (
    Action,
    TransitionRefused,
    allowed_actions,
    is_requester,
    person_may,
    require_action,
)
from guanjia.tickets.models import Callback, Channel, Event, MaterialRequest, Photo, Rating, Ticket
from guanjia.tickets.selectors import (
    TicketFilters,
    callbacks_due,
    suggest_assignees,
    ticket_for_user,
    ticket_search,
    ticket_timeline,
    tickets_for_user,
)
from guanjia.tickets.taxonomy import Category, RequestType, Urgency


class TicketPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _masked(phone: str) -> str:
    try:
        return mask_phone(phone)
    except Exception:  # a legacy number phonenumbers cannot parse: show nothing rather than all of it
        return "***"


def _channel(user) -> str:
    """Owners come in through the app; staff clients through the API."""
    return Channel.API if user.is_superuser or staff_for_user(user) is not None else Channel.APP


def _errors(error: DjangoValidationError, field: str | None = None) -> dict:
    """A Django ValidationError as DRF's 400 body: per field, or under `field`/"detail" when it names none."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    if field:
        return {field: error.messages}
    return {"detail": " ".join(error.messages)}


# ---------------------------------------------------------------- output


class TicketListSerializer(serializers.ModelSerializer):
    """One queue row. Every field comes from the row or its select_related relations: no per-row queries."""

    estate_code = serializers.CharField(source="estate.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True, default="")
    common_area_name = serializers.CharField(source="common_area.name", read_only=True, default="")
    assignee_name = serializers.CharField(source="assignee.name", read_only=True, default="")
    department_name = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "version",
            "estate",
            "estate_code",
            "request_type",
            "category",
            "urgency",
            "sensitive",
            "major",
            "channel",
            "state",
            "unit",
            "unit_code",
            "common_area",
            "common_area_name",
            "assignee",
            "assignee_name",
            "department",
            "department_name",
            "contact_name",
            "contact_phone",
            "description",
            "flagged",
            "escalation_level",
            "created_at",
            "resolve_due_at",
            "resolved_at",
        ]
        read_only_fields = fields

    def get_department_name(self, ticket: Ticket) -> str:
        return str(ticket.department.get_kind_display()) if ticket.department else ""

    def get_contact_phone(self, ticket: Ticket) -> str:
        """Masked: 138****5678."""
        return _masked(ticket.contact_phone)


class TicketClocksSerializer(serializers.ModelSerializer):
    """The service-promise deadlines; null when that clock is not running (stopped, paused or not promised)."""

    class Meta:
        model = Ticket
        fields = [
            "ack_due_at",
            "arrive_due_at",
            "resolve_due_at",
            "statutory_due_at",
            "callback_due_at",
            "calendar_warning",
        ]
        read_only_fields = fields


class TicketEventSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="created, transition, note, photo, material, rating, …")
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "at", "kind", "action", "actor", "actor_name", "channel", "from_state", "to_state"]
        fields += ["reason", "detail"]
        read_only_fields = fields

    def get_actor_name(self, event: Event) -> str:
        """The staff member's name, the reporting owner's name, or "" for the system."""
        if event.actor_id is None:
            return ""
        staff = staff_for_user(event.actor)  # preloaded by ticket_timeline
        if staff is not None:
            return staff.name
        requester = event.ticket.requester
        if requester is not None and requester.user_id == event.actor_id:
            return requester.name
        return ""


class TicketPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ["id", "stage", "url", "uploaded_at"]
        read_only_fields = fields

    def get_url(self, photo: Photo) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(photo.image.url) if request else photo.image.url


class TicketMaterialSerializer(serializers.ModelSerializer):
    requested_by_name = serializers.CharField(source="requested_by.name", read_only=True)

    class Meta:
        model = MaterialRequest
        fields = ["id", "item", "quantity", "unit_of_measure", "requested_by", "requested_by_name", "requested_at"]
        read_only_fields = fields


class TicketRatingSerializer(serializers.ModelSerializer):
    overall = serializers.IntegerField(read_only=True)

    class Meta:
        model = Rating
        fields = ["speed", "professionalism", "attitude", "overall", "comment", "rated_at"]
        read_only_fields = fields


class TicketCallbackSerializer(serializers.ModelSerializer):
    done_by_name = serializers.CharField(source="done_by.name", read_only=True, default="")

    class Meta:
        model = Callback
        fields = ["id", "attempt", "due_at", "outcome", "notes", "done_by", "done_by_name", "done_at"]
        read_only_fields = fields


@extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Action.choices)))
class AllowedActionsField(serializers.Field):
    """The lifecycle actions the caller may take now (what the app shows as buttons)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, ticket: Ticket) -> list[str]:
        request = self.context["request"]
        return [a.value for a in allowed_actions(ticket, staff_for_user(request.user), request.user)]


class TicketDetailSerializer(TicketListSerializer):
    allowed_actions = AllowedActionsField()
    held_from = serializers.CharField(
        read_only=True, help_text="the state to return to on resume; blank unless on hold"
    )
    clocks = TicketClocksSerializer(source="*", read_only=True)
    requester_name = serializers.CharField(source="requester.name", read_only=True, default="")
    first_contact_name = serializers.CharField(source="first_contact.name", read_only=True, default="")
    equipment_name = serializers.CharField(source="equipment.name", read_only=True, default="")
    merged_into_number = serializers.CharField(source="merged_into.number", read_only=True, default="")
    signature = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()
    timeline = TicketEventSerializer(many=True, read_only=True)
    photos = TicketPhotoSerializer(many=True, read_only=True)
    materials = TicketMaterialSerializer(many=True, read_only=True)
    rating = TicketRatingSerializer(read_only=True, allow_null=True)
    callbacks = TicketCallbackSerializer(many=True, read_only=True)

    class Meta(TicketListSerializer.Meta):
        fields = [
            *TicketListSerializer.Meta.fields,
            "allowed_actions",
            "held_from",
            "requester",
            "requester_name",
            "first_contact",
            "first_contact_name",
            "equipment",
            "equipment_name",
            "preferred_visit_at",
            "plan",
            "merged_into",
            "merged_into_number",
            "reopen_count",
            "acknowledged_at",
            "arrived_at",
            "confirmed_at",
            "closed_at",
            "held_at",
            "clocks",
            "signature",
            "report",
            "timeline",
            "photos",
            "materials",
            "rating",
            "callbacks",
        ]
        read_only_fields = fields

    def _url(self, field) -> str | None:
        if not field:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(field.url) if request else field.url

    def get_signature(self, ticket: Ticket) -> str | None:
        """The owner's signature image, once confirmed by signature."""
        return self._url(ticket.signature)

    def get_report(self, ticket: Ticket) -> str | None:
        """The service report PDF, once the ticket is closed and the report is written."""
        return self._url(ticket.report)


class TicketProblemSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TicketConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    ticket = TicketDetailSerializer()


class AssigneeSuggestionSerializer(serializers.ModelSerializer):
    on_duty = serializers.BooleanField(read_only=True)
    load = serializers.IntegerField(read_only=True, help_text="open tickets assigned now")

    class Meta:
        model = Staff
        fields = ["id", "name", "role", "department", "skills", "on_duty", "load"]
        read_only_fields = fields


class CallbackTicketSerializer(serializers.ModelSerializer):
    estate_code = serializers.CharField(source="estate.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True, default="")
    assignee_name = serializers.CharField(source="assignee.name", read_only=True, default="")
    contact_phone = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = ["id", "number", "version", "state", "request_type", "category", "estate_code", "unit_code"]
        fields += ["assignee_name", "contact_name", "contact_phone", "resolved_at"]
        read_only_fields = fields

    def get_contact_phone(self, ticket: Ticket) -> str:
        """Masked; the clerk reveals the number through the resident's record when calling."""
        return _masked(ticket.contact_phone)


class CallbackDeskSerializer(serializers.ModelSerializer):
    ticket = CallbackTicketSerializer(read_only=True)

    class Meta:
        model = Callback
        fields = ["id", "attempt", "due_at", "outcome", "ticket"]
        read_only_fields = fields


# ---------------------------------------------------------------- input


class TicketCreateSerializer(serializers.Serializer):
    """A new request. Staff name the estate; an owner names one of their own units (the estate follows)."""

    estate = serializers.IntegerField(required=False, help_text="项目 ID（员工必填）")
    unit = serializers.IntegerField(required=False, help_text="房屋 ID")
    unit_code = serializers.CharField(required=False, max_length=40, help_text="房屋编码，如 3-2-1102（代替 unit）")
    common_area = serializers.IntegerField(required=False)
    equipment = serializers.IntegerField(required=False)
    requester = serializers.IntegerField(required=False, help_text="住户 ID（员工代报时）")
    request_type = serializers.ChoiceField(choices=RequestType.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    description = serializers.CharField(max_length=2000)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    preferred_visit_at = serializers.DateTimeField(required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.FRONT_DESK, help_text="业主端固定为 app")
    sensitive = serializers.BooleanField(default=False, help_text="高敏感（员工标注）")

    def validate_contact_phone(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalise_phone(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="the ticket's version as the caller last saw it")


class ReasonSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=1000)


class DispatchSerializer(VersionSerializer):
    assignee = serializers.IntegerField(help_text="员工 ID，见 suggestions/")
    department = serializers.IntegerField(required=False, allow_null=True, help_text="转到该部门的队列")
    plan = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ResolveSerializer(VersionSerializer):
    work_done = serializers.CharField(max_length=2000)


class CloseSerializer(VersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class MergeSerializer(VersionSerializer):
    into = serializers.CharField(max_length=30, help_text="工单编号（HY-20261123-0001）或 ID")


class ConfirmSerializer(VersionSerializer):
    signature = serializers.FileField(required=False, help_text="业主签名图片（JPEG/PNG/WebP）")
    code = serializers.CharField(required=False, allow_blank=True, max_length=10, help_text="短信确认码")

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("signature") and not attrs.get("code", "").strip():
            raise serializers.ValidationError({"signature": _("请业主签名或输入确认码")})
        return attrs


class RateSerializer(serializers.Serializer):
    speed = serializers.IntegerField(min_value=1, max_value=5)
    professionalism = serializers.IntegerField(min_value=1, max_value=5)
    attitude = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(required=False, min_value=1, help_text="given: the note also claims the ticket")


class PhotoUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG、PNG 或 WebP；EXIF（含位置）会被去除")
    stage = serializers.ChoiceField(choices=Photo.Stage.choices)


class MaterialSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=100)
    quantity = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal("0.01"))
    unit_of_measure = serializers.CharField(required=False, default="个", max_length=10)


class SendCodeSerializer(serializers.Serializer):
    pass


class CallbackRecordSerializer(VersionSerializer):
    outcome = serializers.ChoiceField(choices=Callback.Outcome.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# ---------------------------------------------------------------- resolving ids (always scoped)


def _scoped_or_400(qs, pk: int | None, field: str, message: str):
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ApiValidationError({field: message})
    return obj


def _intake_kwargs(user, data: dict) -> dict:
    """ticket_create's arguments from the request, every id looked up inside what the caller may see.

    Another estate's id reads exactly like an id that does not exist.
    """
    staff = staff_for_user(user)
    is_staff = staff is not None or user.is_superuser
    resident = None
    if not is_staff:
        resident = residents_for_user(user).first()  # an owner's own record, nobody else's
        if resident is None:
            raise ApiPermissionDenied(_("只有住户或员工可以报事"))

    units = units_for_user(user)
    if is_staff:
        estate = _scoped_or_400(estates_for_user(user), data.get("estate"), "estate", _("未知项目"))
        if estate is None:
            raise ApiValidationError({"estate": _("请选择项目")})
        units = units.filter(estate=estate)
    else:
        units = units.filter(estate_id=resident.estate_id)
        estate = None

    unit = _scoped_or_400(units, data.get("unit"), "unit", _("未知房屋"))
    if data.get("unit_code"):
        code = parse_unit_code(data["unit_code"]) or data["unit_code"].strip().upper()
        by_code = units.filter(code=code).first()
        if by_code is None or (unit is not None and unit != by_code):
            raise ApiValidationError({"unit_code": _("未知房屋：%(code)s") % {"code": data["unit_code"]}})
        unit = by_code
    if not is_staff:
        if unit is None:
            raise ApiValidationError({"unit": _("请选择您的房屋")})
        estate = unit.estate
        if data.get("estate") not in (None, estate.id):
            raise ApiValidationError({"estate": _("房屋不属于该项目")})

    requester = resident
    if is_staff:
        requester = _scoped_or_400(
            residents_for_user(user).filter(estate=estate), data.get("requester"), "requester", _("未知住户")
        )
    return {
        "estate": estate,
        "unit": unit,
        "common_area": _scoped_or_400(
            CommonArea.objects.filter(estate=estate), data.get("common_area"), "common_area", _("未知公共区域")
        ),
        "equipment": _scoped_or_400(
            Equipment.objects.filter(estate=estate), data.get("equipment"), "equipment", _("未知设备")
        ),
        "requester": requester,
        "request_type": data["request_type"],
        "category": data["category"],
        "urgency": data["urgency"],
        "description": data["description"],
        "contact_name": data.get("contact_name", ""),
        "contact_phone": data.get("contact_phone", ""),
        "preferred_visit_at": data.get("preferred_visit_at"),
        "channel": data["channel"] if is_staff else Channel.APP,
        "sensitive": data["sensitive"] if is_staff else False,
        "user": user,
    }


def _ticket_in_view(user, ref: str) -> Ticket | None:
    qs = tickets_for_user(user)
    ref = ref.strip()
    return (qs.filter(pk=int(ref)) if ref.isdigit() else qs.filter(number=ref.upper())).first()


# ---------------------------------------------------------------- actions


@dataclass(frozen=True)
class Step:
    """One POST /tickets/{id}/<name>/: who may (lifecycle action or `may`), the body, and the service call."""

    body: type[serializers.Serializer]
    run: Callable[[Ticket, dict, Any, str], object]
    action: Action | None = None
    may: Callable[[Ticket, Staff | None, Any], bool] | None = None
    file_field: str | None = None  # a ValidationError about the upload (not an image, too big) goes here
    created: bool = False


def _staff_only(ticket: Ticket, staff: Staff | None, user) -> bool:
    return staff is not None


def _requester_or_staff(ticket: Ticket, staff: Staff | None, user) -> bool:
    return staff is not None or is_requester(ticket, user)


def _dispatch(ticket: Ticket, data: dict, user, channel: str):
    assignee = _scoped_or_400(
        Staff.objects.filter(estates=ticket.estate_id, active=True), data["assignee"], "assignee", _("处理人不在该项目")
    )
    department = _scoped_or_400(
        Department.objects.filter(estate_id=ticket.estate_id),
        data.get("department"),
        "department",
        _("部门不属于该项目"),
    )
    return services.ticket_dispatch(
        ticket=ticket,
        assignee=assignee,
        department=department,
        plan=data.get("plan", ""),
        user=user,
        version=data["version"],
        channel=channel,
    )


def _merge(ticket: Ticket, data: dict, user, channel: str):
    into = _ticket_in_view(user, data["into"])
    if into is None:
        raise ApiValidationError({"into": _("找不到工单：%(ref)s") % {"ref": data["into"]}})
    return services.ticket_merge(ticket=ticket, into=into, user=user, version=data["version"], channel=channel)


def _simple(service, *fields: str):
    """A lifecycle service that takes the version and, optionally, named text fields of the body."""

    def run(ticket: Ticket, data: dict, user, channel: str):
        extra = {f: data.get(f, "") for f in fields}
        return service(ticket=ticket, user=user, version=data["version"], channel=channel, **extra)

    return run


STEPS: dict[str, Step] = {
    "dispatch": Step(DispatchSerializer, _dispatch, Action.DISPATCH),
    "accept": Step(VersionSerializer, _simple(services.ticket_accept), Action.ACCEPT),
    "decline": Step(ReasonSerializer, _simple(services.ticket_decline, "reason"), Action.DECLINE),
    "arrive": Step(VersionSerializer, _simple(services.ticket_arrive), Action.ARRIVE),
    "resolve": Step(ResolveSerializer, _simple(services.ticket_resolve, "work_done"), Action.RESOLVE),
    "hold": Step(ReasonSerializer, _simple(services.ticket_hold, "reason"), Action.HOLD),
    "resume": Step(VersionSerializer, _simple(services.ticket_resume), Action.RESUME),
    "escalate": Step(ReasonSerializer, _simple(services.ticket_escalate, "reason"), Action.ESCALATE),
    "cancel": Step(ReasonSerializer, _simple(services.ticket_cancel, "reason"), Action.CANCEL),
    "close": Step(CloseSerializer, _simple(services.ticket_close, "note"), Action.CLOSE),
    "merge": Step(MergeSerializer, _merge, Action.MERGE),
    "confirm": Step(
        ConfirmSerializer,
        lambda t, d, u, c: services.ticket_confirm(
            ticket=t, user=u, version=d["version"], channel=c, signature=d.get("signature"), code=d.get("code", "")
        ),
        Action.CONFIRM,
        file_field="signature",
    ),
    "send-code": Step(
        SendCodeSerializer, lambda t, d, u, c: services.confirmation_code_send(ticket=t, user=u), may=_staff_only
    ),
    "rate": Step(
        RateSerializer,
        lambda t, d, u, c: services.ticket_rate(ticket=t, user=u, channel=c, **d),
        may=_requester_or_staff,
        created=True,
    ),
    "note": Step(
        NoteSerializer,
        lambda t, d, u, c: services.ticket_note(ticket=t, user=u, channel=c, text=d["text"], version=d.get("version")),
        may=_staff_only,
        created=True,
    ),
    "photos": Step(
        PhotoUploadSerializer,
        lambda t, d, u, c: services.ticket_photo_add(ticket=t, user=u, channel=c, stage=d["stage"], upload=d["image"]),
        may=_requester_or_staff,
        file_field="image",
        created=True,
    ),
    "materials": Step(
        MaterialSerializer,
        lambda t, d, u, c: services.ticket_material_request(ticket=t, user=u, channel=c, **d),
        may=_staff_only,
        created=True,
    ),
}

_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description='{"field": ["…"]} or {"detail": "…"} (state refuses)'),
    403: OpenApiResponse(TicketProblemSerializer, description="the caller's role may not do this"),
    404: OpenApiResponse(TicketProblemSerializer, description="no such ticket for the caller"),
}
_CONFLICT = {409: OpenApiResponse(TicketConflictSerializer, description="stale version: the fresh ticket")}


def _action_schema(name: str, summary: str, *, media_types: tuple[str, ...] = ()):
    step = STEPS[name]
    request: Any = {media: step.body for media in media_types} if media_types else step.body
    ok = status.HTTP_201_CREATED if step.created else status.HTTP_200_OK
    versioned = "version" in step.body().fields
    return extend_schema(
        summary=summary,
        request=request,
        responses={ok: TicketDetailSerializer, **_ERRORS, **(_CONFLICT if versioned else {})},
    )


def ticket_detail_data(request: Request, pk) -> dict:
    """The ticket as the caller may see it, with its timeline and attachments, serialized."""
    ticket = ticket_for_user(user=request.user, ticket_id=pk)
    prefetch_related_objects(
        [ticket],
        "photos",
        "rating",
        Prefetch("materials", queryset=MaterialRequest.objects.select_related("requested_by").order_by("id")),
        Prefetch("callbacks", queryset=Callback.objects.select_related("done_by").order_by("attempt", "id")),
    )
    ticket.timeline = list(ticket_timeline(ticket=ticket))
    for event in ticket.timeline:
        event.ticket = ticket  # actor names compare with the requester without a query per event
    return TicketDetailSerializer(ticket, context={"request": request}).data


def conflict_response(request: Request, pk, message: str) -> Response:
    """409: someone acted first. The fresh state comes along so the client can show it and retry."""
    return Response({"detail": message, "ticket": ticket_detail_data(request, pk)}, status=status.HTTP_409_CONFLICT)


def _refusal(action: Action) -> ApiPermissionDenied:
    return ApiPermissionDenied(_("您的岗位不能对该工单执行「%(action)s」") % {"action": action.label})


_LIST_PARAMETERS = [
    OpenApiParameter("queue", str, enum=["mine", "department", "estate"], description="默认 estate"),
    OpenApiParameter("state", str, description="open（默认）、closed、all 或某个状态值"),
    OpenApiParameter("type", str, enum=RequestType.values, description="诉求类型"),
    OpenApiParameter("urgency", str, enum=Urgency.values),
    OpenApiParameter("category", str, enum=Category.values),
    OpenApiParameter("estate", int, description="项目 ID"),
    OpenApiParameter("q", str, description="工单编号、描述或房屋编码"),
    OpenApiParameter("sort", str, enum=["created", "-created", "due", "-due", "urgency", "state", "number"]),
    OpenApiParameter("overdue", bool, description="只看超过解决时限的"),
    OpenApiParameter("page_size", int, description="每页条数，最多 200"),
]


class TicketViewSet(viewsets.GenericViewSet):
    """Work orders. Staff see their estates' tickets; an owner sees the tickets they reported."""

    serializer_class = TicketDetailSerializer
    pagination_class = TicketPagination
    lookup_value_regex = r"\d+"  # /tickets/abc/ is a 404 from the router, never a 500 from the ORM

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Ticket.objects.none()
        return tickets_for_user(self.request.user)

    # -- reading

    @extend_schema(parameters=_LIST_PARAMETERS, responses=TicketListSerializer(many=True))
    def list(self, request: Request) -> Response:
        qs = ticket_search(user=request.user, filters=TicketFilters.from_params(request.query_params))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(TicketListSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(responses={200: TicketDetailSerializer, 404: _ERRORS[404]})
    def retrieve(self, request: Request, pk=None) -> Response:
        return Response(ticket_detail_data(request, pk))

    @extend_schema(
        request=TicketCreateSerializer,
        responses={201: TicketDetailSerializer, 400: _ERRORS[400], 403: _ERRORS[403]},
    )
    def create(self, request: Request) -> Response:
        body = TicketCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            ticket = services.ticket_create(**_intake_kwargs(request.user, body.validated_data))
        except DjangoValidationError as error:
            raise ApiValidationError(_errors(error)) from None
        return Response(ticket_detail_data(request, ticket.pk), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: AssigneeSuggestionSerializer(many=True), 403: _ERRORS[403], 404: _ERRORS[404]})
    @action(detail=True, methods=["get"], pagination_class=None)
    def suggestions(self, request: Request, pk=None) -> Response:
        """Who should take it: on duty first, then skills, then the lightest load."""
        ticket = ticket_for_user(user=request.user, ticket_id=pk)
        if not person_may(ticket, Action.DISPATCH, staff_for_user(request.user), request.user):
            raise ApiPermissionDenied(_("您的岗位不能派单"))
        return Response(AssigneeSuggestionSerializer(suggest_assignees(ticket=ticket), many=True).data)

    # -- acting

    def _perform(self, request: Request, pk, name: str) -> Response:
        step = STEPS[name]
        user = request.user
        ticket = ticket_for_user(user=user, ticket_id=pk)
        staff = staff_for_user(user)
        if step.action is not None:
            if not person_may(ticket, step.action, staff, user):
                raise _refusal(step.action)
        elif not step.may(ticket, staff, user):
            raise ApiPermissionDenied(_("您不能对该工单执行此操作"))
        body = step.body(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data.get("version") is not None and data["version"] != ticket.version:
            return conflict_response(request, ticket.pk, str(services.TicketConflict(ticket)))
        try:
            if step.action is not None:
                require_action(ticket, step.action, staff, user)  # the state check, before any write
            step.run(ticket, data, user, _channel(user))
        except services.TicketConflict as conflict:  # lost a race after our version check
            return conflict_response(request, ticket.pk, str(conflict))
        except TransitionRefused as refused:
            raise ApiValidationError({"detail": str(refused)}) from None
        except DjangoValidationError as error:
            raise ApiValidationError(_errors(error, step.file_field)) from None
        ok = status.HTTP_201_CREATED if step.created else status.HTTP_200_OK
        return Response(ticket_detail_data(request, ticket.pk), status=ok)

    @_action_schema("dispatch", "派单：派给处理人（可转部门，附方案）")
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_to(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "dispatch")

    @_action_schema("accept", "接单")
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "accept")

    @_action_schema("decline", "拒单（退回部门队列）")
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "decline")

    @_action_schema("arrive", "到场 / 首次联系业主")
    @action(detail=True, methods=["post"])
    def arrive(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "arrive")

    @_action_schema("resolve", "完成（停止解决时限，生成回访任务）")
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "resolve")

    @_action_schema("hold", "挂起（暂停时限）")
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "hold")

    @_action_schema("resume", "恢复")
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "resume")

    @_action_schema("escalate", "升级主管")
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "escalate")

    @_action_schema("cancel", "取消")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "cancel")

    @_action_schema("close", "关闭（投诉须回访满意）")
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "close")

    @_action_schema("merge", "合并到另一张工单")
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "merge")

    @_action_schema(
        "confirm", "业主确认：签名图片或短信确认码", media_types=("multipart/form-data", "application/json")
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def confirm(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "confirm")

    @_action_schema("send-code", "向联系电话发送确认码（码只经短信，不在响应中）")
    @action(detail=True, methods=["post"], url_path="send-code", url_name="send-code")
    def send_code(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "send-code")

    @_action_schema("rate", "评价：及时性、专业性、服务态度 1–5")
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "rate")

    @_action_schema("note", "备注")
    @action(detail=True, methods=["post"])
    def note(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "note")

    @_action_schema("photos", "上传照片（报事/维修前/维修后）", media_types=("multipart/form-data",))
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "photos")

    @_action_schema("materials", "物资申领")
    @action(detail=True, methods=["post"])
    def materials(self, request: Request, pk=None) -> Response:
        return self._perform(request, pk, "materials")


# ---------------------------------------------------------------- callbacks


class IsStaffMember(permissions.BasePermission):
    """The callback desk is staff work: an owner's estates must not list their neighbours' callbacks."""

    message = gettext_lazy("仅限员工")

    def has_permission(self, request, view) -> bool:
        return bool(request.user.is_superuser or staff_for_user(request.user) is not None)


class CallbackViewSet(viewsets.GenericViewSet):
    """The callback desk (回访): pending callbacks of the caller's estates, most urgent first."""

    serializer_class = CallbackDeskSerializer
    pagination_class = TicketPagination
    lookup_value_regex = r"\d+"
    permission_classes = [permissions.IsAuthenticated, IsStaffMember]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Callback.objects.none()
        return callbacks_due(user=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CallbackDeskSerializer(page, many=True).data)

    @extend_schema(
        summary="记录回访：满意关闭，不满意退回原处理人，联系不上稍后再访",
        request=CallbackRecordSerializer,
        responses={200: TicketDetailSerializer, **_ERRORS, **_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk=None) -> Response:
        user = request.user
        callback = get_object_or_404(
            Callback.objects.filter(ticket__in=tickets_for_user(user)).select_related("ticket__requester"), pk=pk
        )
        ticket = callback.ticket
        if not person_may(ticket, Action.CALLBACK, staff_for_user(user), user):
            raise _refusal(Action.CALLBACK)
        body = CallbackRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["version"] != ticket.version:
            return conflict_response(request, ticket.pk, str(services.TicketConflict(ticket)))
        try:
            services.callback_record(
                callback=callback,
                user=user,
                outcome=data["outcome"],
                notes=data.get("notes", ""),
                version=data["version"],
                channel=_channel(user),
            )
        except services.TicketConflict as conflict:
            return conflict_response(request, ticket.pk, str(conflict))
        except TransitionRefused as refused:
            raise ApiValidationError({"detail": str(refused)}) from None
        except DjangoValidationError as error:
            raise ApiValidationError(_errors(error)) from None
        return Response(ticket_detail_data(request, ticket.pk))
