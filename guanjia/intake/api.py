"""Channel APIs: the owner app / mini-program, the hotline's speech-recognition feed, device alarms."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from guanjia.estates.models import Estate
from guanjia.estates.selectors import units_for_user
from guanjia.intake.models import IdempotencyKey
from guanjia.intake.services import (
    SignatureRejected,
    device_event_receive,
    device_signature_verify,
    owner_request_submit,
    request_intake,
)
from guanjia.org.selectors import estate_ids_for_user, staff_for_user
from guanjia.people.pii import normalise_phone
from guanjia.people.selectors import residents_for_user
from guanjia.triage.services import triage_text


def _api_error(error: ValidationError) -> ApiValidationError:
    return ApiValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class TicketReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="ticket.id")
    number = serializers.CharField(source="ticket.number")
    state = serializers.CharField(source="ticket.state")
    request_type = serializers.CharField(source="ticket.request_type")
    category = serializers.CharField(source="ticket.category")
    urgency = serializers.CharField(source="ticket.urgency")
    department = serializers.CharField(source="ticket.department.kind", default=None)
    created = serializers.BooleanField()
    parent = serializers.CharField(source="parent.number", default=None)


class OwnerRequestSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    text = serializers.CharField(max_length=2000)
    preferred_visit_at = serializers.DateTimeField(required=False, allow_null=True)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=9)


class OwnerRequestView(APIView):
    """An owner's request for one of their own units. `Idempotency-Key` header required: a retried submit
    returns the first ticket (200), never a second one."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request=OwnerRequestSerializer,
        responses={201: TicketReceiptSerializer, 200: TicketReceiptSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER, required=True)],
    )
    def post(self, request):
        body = OwnerRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = units_for_user(request.user).filter(pk=body.validated_data["unit"]).first()
        if unit is None:
            raise NotFound("房屋不存在")
        try:
            outcome, replayed = owner_request_submit(
                user=request.user,
                unit=unit,
                text=body.validated_data["text"],
                idempotency_key=request.headers.get("Idempotency-Key", ""),
                photos=request.FILES.getlist("photos"),
                preferred_visit_at=body.validated_data.get("preferred_visit_at"),
            )
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except ValidationError as error:
            raise _api_error(error) from None
        code = status.HTTP_200_OK if replayed or not outcome.created else status.HTTP_201_CREATED
        return Response(TicketReceiptSerializer(outcome).data, status=code)


class TranscriptSerializer(serializers.Serializer):
    estate = serializers.IntegerField()
    call_id = serializers.CharField(max_length=80)
    caller = serializers.CharField(max_length=30)
    transcript = serializers.CharField(max_length=10000)


class HotlineTranscriptView(APIView):
    """A call transcript from the speech-recognition system becomes a ticket through triage.
    The same call_id twice returns the first ticket."""

    @extend_schema(request=TranscriptSerializer, responses={201: TicketReceiptSerializer, 200: TicketReceiptSerializer})
    def post(self, request):
        if staff_for_user(request.user) is None:
            raise ApiPermissionDenied("仅限客服中心系统账号")
        body = TranscriptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["estate"] not in estate_ids_for_user(request.user):
            raise NotFound("项目不存在")
        key = f"call:{data['call_id']}"
        previous = IdempotencyKey.objects.filter(user=request.user, key=key).select_related("ticket").first()
        if previous:
            from guanjia.intake.services import IntakeOutcome

            return Response(TicketReceiptSerializer(IntakeOutcome(ticket=previous.ticket, created=False)).data)
        try:
            phone = normalise_phone(data["caller"])
        except ValidationError:
            phone = ""
        estate = Estate.objects.get(pk=data["estate"])
        resident = residents_for_user(request.user).filter(estate=estate, phone=phone).first() if phone else None
        occupancies = getattr(resident, "current_occupancies", []) if resident else []
        unit = occupancies[0].unit if len(occupancies) == 1 else None
        labels = triage_text(data["transcript"])  # before the transaction, which holds SQLite's write lock
        try:
            with transaction.atomic():
                outcome = request_intake(
                    labels=labels,
                    estate=estate,
                    text=data["transcript"],
                    channel="hotline",
                    user=request.user,
                    requester=resident,
                    unit=unit,
                    contact_phone=phone,
                )
                IdempotencyKey.objects.create(user=request.user, key=key, ticket=outcome.ticket)
        except ValidationError as error:
            raise _api_error(error) from None
        return Response(TicketReceiptSerializer(outcome).data, status=status.HTTP_201_CREATED)


@csrf_exempt
@require_POST
def device_webhook(request: HttpRequest, estate_code: str) -> HttpResponse:
    """Alarms from access control, lift monitoring, pumps, leak sensors and fire panels.

    Authenticated by `X-Guanjia-Signature: sha256=<hex>` = HMAC-SHA256(key, "<X-Guanjia-Timestamp>.<body>");
    older than 5 minutes or replayed → 403, nothing stored.
    """
    estate = get_object_or_404(Estate, code=estate_code.upper())
    try:
        device_signature_verify(
            estate=estate,
            body=request.body,
            timestamp=request.headers.get("X-Guanjia-Timestamp", ""),
            signature=request.headers.get("X-Guanjia-Signature", ""),
            now=timezone.now(),
        )
    except SignatureRejected as error:
        return JsonResponse({"detail": str(error)}, status=403)
    try:
        payload = json.loads(request.body)
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"detail": "请求体应为 JSON 对象"}, status=400)
    try:
        alarm, opened = device_event_receive(estate=estate, payload=payload)
    except ValidationError as error:
        return JsonResponse({"detail": error.messages}, status=400)
    ticket = alarm.ticket
    return JsonResponse(
        {"alarm": alarm.pk, "ticket": ticket.number if ticket else None, "state": ticket.state if ticket else None},
        status=201 if opened else 200,
    )
