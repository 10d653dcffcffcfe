"""Serializers of the work-order API: what a ticket looks like over REST, and what each action takes."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from guanjia.org.models import Staff
from guanjia.org.selectors import staff_for_user
from guanjia.people.pii import mask_phone, normalise_phone
from guanjia.tickets.lifecycle import (
    Action,
    allowed_actions,
)
from guanjia.tickets.models import Callback, Channel, Event, MaterialRequest, Photo, Rating, Ticket
from guanjia.tickets.taxonomy import Category, RequestType, Urgency
from guanjia.web.paging import CappedPageNumberPagination


class TicketPagination(CappedPageNumberPagination):
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
