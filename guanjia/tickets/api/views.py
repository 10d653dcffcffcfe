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
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from guanjia.estates.models import CommonArea, Equipment
from guanjia.estates.selectors import parse_unit_code, units_for_user
from guanjia.org.models import Department, Staff
from guanjia.org.selectors import estates_for_user, staff_for_user
from guanjia.people.selectors import residents_for_user
from guanjia.tickets import services
from guanjia.tickets.api.serializers import (
    AssigneeSuggestionSerializer,
    CallbackDeskSerializer,
    CallbackRecordSerializer,
    CloseSerializer,
    ConfirmSerializer,
    DispatchSerializer,
    MaterialSerializer,
    MergeSerializer,
    NoteSerializer,
    PhotoUploadSerializer,
    RateSerializer,
    ReasonSerializer,
    ResolveSerializer,
    SendCodeSerializer,
    TicketConflictSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketListSerializer,
    TicketPagination,
    TicketProblemSerializer,
    VersionSerializer,
    _channel,
    _errors,
)
from guanjia.tickets.lifecycle import (
    Action,
    TransitionRefused,
    is_requester,
    person_may,
    require_action,
)
from guanjia.tickets.models import Callback, Channel, MaterialRequest, Ticket
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
