"""Every channel ends here: one function turns a message into a work order, classified and routed,
without a clerk retyping it — or into a follow-up on the ticket it repeats.

- Same unit, same category, inside the estate's window → a follow-up on the open ticket.
- Several units reporting one public fault (same equipment, or same category in the same building
  or common area) inside the window → children grouped under one parent ticket.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.estates.models import CommonArea, Equipment, Estate, Unit
from guanjia.intake.models import ChannelSettings, DeviceAlarm, DeviceSource, IdempotencyKey, SeenSignature
from guanjia.people.models import Occupancy, Resident
from guanjia.tickets.models import FINISHED_STATES, Event, Ticket
from guanjia.tickets.services import ticket_create, ticket_photo_add
from guanjia.tickets.services.core import event_record
from guanjia.tickets.taxonomy import Category, RequestType, Urgency, department_for
from guanjia.triage.services import TriageResult, triage_text

# Faults one household cannot have alone: a lift, the building's water or power, a gate, the fire system.
PUBLIC_CATEGORIES = frozenset({Category.ELEVATOR, Category.ACCESS_CONTROL, Category.FIRE_SAFETY})
PUBLIC_WORDS = ("电梯", "停水", "停电", "水压", "总闸", "主管", "爆管", "门禁", "道闸", "消防", "整栋", "全楼")


@dataclass(frozen=True)
class IntakeOutcome:
    ticket: Ticket
    created: bool  # False when the message became a follow-up on an open ticket
    parent: Ticket | None = None


def _settings(estate: Estate) -> ChannelSettings:
    return ChannelSettings.objects.filter(estate=estate).first() or ChannelSettings(estate=estate)


def _open(qs):
    return qs.exclude(state__in=FINISHED_STATES)


def _follow_up(ticket: Ticket, *, text: str, channel: str, user, photos, now: datetime) -> IntakeOutcome:
    event_record(
        ticket=ticket,
        kind=Event.Kind.NOTE,
        user=user,
        channel=channel,
        at=now,
        reason=_("同一诉求再次报事：%(t)s") % {"t": text[:500]},
        detail={"follow_up": True},
    )
    for photo in photos:
        ticket_photo_add(ticket=ticket, user=user, stage="reported", upload=photo, channel=channel, now=now)
    return IntakeOutcome(ticket=ticket, created=False, parent=ticket.parent)


def _is_public(*, labels: TriageResult, text: str, equipment, common_area) -> bool:
    return bool(
        equipment
        or common_area
        or labels.category in PUBLIC_CATEGORIES
        or (labels.request_type == RequestType.REPAIR and any(w in text for w in PUBLIC_WORDS))
    )


def _group(ticket: Ticket, *, window: timedelta, now: datetime) -> Ticket | None:
    """Put a public-fault report under a parent ticket once a second unit reports the same fault."""
    if ticket.equipment_id:
        same_fault = {"equipment_id": ticket.equipment_id}
    elif ticket.common_area_id:
        same_fault = {"common_area_id": ticket.common_area_id, "category": ticket.category}
    elif ticket.unit_id:
        same_fault = {"unit__building_id": ticket.unit.building_id, "category": ticket.category}
    else:
        return None
    siblings = list(
        _open(Ticket.objects.filter(estate_id=ticket.estate_id, created_at__gte=now - window, **same_fault))
        .exclude(pk=ticket.pk)
        .select_for_update()
        .order_by("created_at")
    )
    if not siblings:
        return None
    parent = next((s.parent for s in siblings if s.parent_id), None) or next(
        (s for s in siblings if s.children.exists()), None
    )
    if parent is None:
        first = siblings[0]
        where = first.equipment or first.common_area or (first.unit.building if first.unit_id else None)
        parent = ticket_create(
            estate=ticket.estate,
            request_type=RequestType.REPAIR,
            category=first.category,
            urgency=first.urgency,
            description=_("公共故障（多户报事）：%(where)s %(what)s")
            % {"where": where or "", "what": first.description},
            channel=first.channel,
            equipment=first.equipment,
            common_area=first.common_area,
            now=now,
        )
        parent.first_contact = first.first_contact
        parent.save(update_fields=["first_contact"])
    for child in [*siblings, ticket]:
        if child.pk != parent.pk and child.parent_id != parent.pk and not child.children.exists():
            Ticket.objects.filter(pk=child.pk).update(parent=parent, next_check_at=None)
            event_record(
                ticket=child,
                kind=Event.Kind.NOTE,
                at=now,
                detail={"parent": parent.number},
                reason=_("已归并到公共故障主单 %(n)s，主单处理完成后通知您") % {"n": parent.number},
            )
    return parent


def request_intake(
    *,
    estate: Estate,
    text: str,
    channel: str,
    user=None,
    requester: Resident | None = None,
    unit: Unit | None = None,
    common_area: CommonArea | None = None,
    equipment: Equipment | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    photos=(),
    preferred_visit_at: datetime | None = None,
    labels: TriageResult | None = None,
    now: datetime | None = None,
) -> IntakeOutcome:
    """Classify, then link to the ticket it repeats, or open a new one (grouped if it is a public fault).

    Classification runs before the transaction: on SQLite the transaction holds the write lock, and a
    worker's first classification loads the model.
    """
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请描述报事内容")})
    labels = labels or triage_text(text)
    if labels.request_type is None:
        raise ValidationError({"text": _("无法识别报事内容")})
    with transaction.atomic():
        return _intake_labelled(
            estate=estate,
            text=text,
            channel=channel,
            user=user,
            requester=requester,
            unit=unit,
            common_area=common_area,
            equipment=equipment,
            contact_name=contact_name,
            contact_phone=contact_phone,
            photos=photos,
            preferred_visit_at=preferred_visit_at,
            labels=labels,
            now=now,
        )


def _intake_labelled(
    *,
    estate,
    text,
    channel,
    user,
    requester,
    unit,
    common_area,
    equipment,
    contact_name,
    contact_phone,
    photos,
    preferred_visit_at,
    labels: TriageResult,
    now: datetime,
) -> IntakeOutcome:
    settings = _settings(estate)
    if unit is not None:
        repeat = (
            _open(
                Ticket.objects.filter(
                    estate=estate,
                    unit=unit,
                    category=labels.category,
                    created_at__gte=now - timedelta(minutes=settings.dedupe_minutes),
                )
            )
            .select_for_update()
            .order_by("-created_at")
            .first()
        )
        if repeat is not None:
            return _follow_up(repeat, text=text, channel=channel, user=user, photos=photos, now=now)
    ticket = ticket_create(
        estate=estate,
        request_type=labels.request_type,
        category=labels.category,
        urgency=labels.urgency,
        sensitive=labels.sensitive,
        description=text,
        channel=channel,
        user=user,
        unit=unit,
        common_area=common_area,
        equipment=equipment,
        requester=requester,
        contact_name=contact_name,
        contact_phone=contact_phone,
        preferred_visit_at=preferred_visit_at,
        now=now,
    )
    ticket.needs_review = labels.needs_review
    ticket.triage = {**labels.contract(), "rules": list(labels.rules)}
    ticket.save(update_fields=["needs_review", "triage"])
    for photo in photos:
        ticket_photo_add(ticket=ticket, user=user, stage="reported", upload=photo, channel=channel, now=now)
    parent = None
    if _is_public(labels=labels, text=text, equipment=equipment, common_area=common_area):
        parent = _group(ticket, window=timedelta(minutes=settings.group_minutes), now=now)
        ticket.refresh_from_db()
    return IntakeOutcome(ticket=ticket, created=True, parent=parent)


def owner_request_submit(
    *,
    user,
    unit: Unit,
    text: str,
    idempotency_key: str,
    photos=(),
    preferred_visit_at=None,
    channel: str = "app",
) -> tuple[IntakeOutcome, bool]:
    """An owner's request from the app: only for a unit they live in; a retried key returns the first ticket.

    Returns (outcome, replayed).
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise ValidationError({"idempotency_key": _("缺少幂等键（Idempotency-Key），或长度超过100")})
    previous = IdempotencyKey.objects.filter(user=user, key=key).select_related("ticket").first()
    if previous is not None:
        return IntakeOutcome(ticket=previous.ticket, created=False), True
    occupancy = (
        Occupancy.objects.filter(unit=unit, resident__user=user, moved_out_on__isnull=True)
        .select_related("resident")
        .first()
    )
    if occupancy is None:
        raise PermissionDenied(_("只能为自己居住的房屋报事"))
    try:
        with transaction.atomic():
            outcome = request_intake(
                estate=unit.estate,
                text=text,
                channel=channel,
                user=user,
                requester=occupancy.resident,
                unit=unit,
                photos=photos,
                preferred_visit_at=preferred_visit_at,
            )
            IdempotencyKey.objects.create(user=user, key=key, ticket=outcome.ticket)
    except IntegrityError:
        # Two submits with one key raced: the other one won; answer with its ticket.
        previous = IdempotencyKey.objects.select_related("ticket").get(user=user, key=key)
        return IntakeOutcome(ticket=previous.ticket, created=False), True
    return outcome, False


# --- Devices (IoT) -------------------------------------------------------------------------------

SIGNATURE_MAX_AGE = timedelta(minutes=5)
EQUIPMENT_CATEGORY = {
    Equipment.Kind.LIFT: Category.ELEVATOR,
    Equipment.Kind.PUMP: Category.WATER,
    Equipment.Kind.GATE: Category.ACCESS_CONTROL,
    Equipment.Kind.CAMERA: Category.ACCESS_CONTROL,
    Equipment.Kind.FIRE_PANEL: Category.FIRE_SAFETY,
    Equipment.Kind.TRANSFORMER: Category.ELECTRICAL,
    Equipment.Kind.GENERATOR: Category.ELECTRICAL,
    Equipment.Kind.HVAC: Category.GAS_HEATING,
}
# Faults that endanger people now: someone trapped, water flooding, fire.
EMERGENCY_FAULTS = ("trapped", "entrapment", "leak", "flood", "fire", "smoke", "困人", "漏水", "火警")


class SignatureRejected(Exception):
    """Bad, stale or replayed device signature: answer 403 and store nothing."""


def device_signature_verify(*, estate: Estate, body: bytes, timestamp: str, signature: str, now: datetime) -> None:
    """HMAC-SHA256 over "<timestamp>.<body>" with one of the estate's device keys; fresh and never seen."""
    try:
        sent_at = datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        raise SignatureRejected(_("缺少或无效的时间戳")) from None
    if abs(now - sent_at) > SIGNATURE_MAX_AGE:
        raise SignatureRejected(_("请求已过期（超过5分钟）"))
    if not signature.startswith("sha256="):
        raise SignatureRejected(_("签名格式应为 sha256=<hex>"))
    given = signature.removeprefix("sha256=").strip().lower()
    message = timestamp.encode() + b"." + body
    for source in DeviceSource.objects.filter(estate=estate, active=True):
        expected = hmac.new(source.secret.encode(), message, hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, given):
            break
    else:
        raise SignatureRejected(_("签名不正确"))
    SeenSignature.objects.filter(seen_at__lt=now - 2 * SIGNATURE_MAX_AGE).delete()
    try:
        with transaction.atomic():
            SeenSignature.objects.create(digest=hashlib.sha256(given.encode()).hexdigest(), seen_at=now)
    except IntegrityError:
        raise SignatureRejected(_("重复的请求（重放）")) from None


@transaction.atomic
def device_event_receive(*, estate: Estate, payload: dict, now: datetime | None = None) -> tuple[DeviceAlarm, bool]:
    """An alarm opens a repair on that equipment, a repeat of the same fault joins the open ticket,
    a recovery is noted on it. Returns (alarm, whether a ticket was opened)."""
    now = now or timezone.now()
    code, kind = str(payload.get("device", "")), payload.get("event", "alarm")
    fault, message = str(payload.get("fault", ""))[:50], str(payload.get("message", ""))[:200]
    if kind not in DeviceAlarm.Kind.values or not fault:
        raise ValidationError(_("event 应为 alarm 或 recovery，并带 fault"))
    equipment = Equipment.objects.filter(estate=estate, code=code).first()
    if equipment is None:
        raise ValidationError({"device": _("设备台账中没有编号为 %(c)s 的设备") % {"c": code}})
    open_ticket = (
        _open(Ticket.objects.filter(estate=estate, equipment=equipment, channel="iot", triage__fault=fault))
        .select_for_update()
        .order_by("-created_at")
        .first()
    )
    alarm = DeviceAlarm(
        estate=estate,
        equipment=equipment,
        kind=kind,
        fault=fault,
        message=message,
        received_at=now,
        payload=payload,
        ticket=open_ticket,
    )
    if kind == DeviceAlarm.Kind.RECOVERY:
        if open_ticket:
            event_record(
                ticket=open_ticket,
                kind=Event.Kind.NOTE,
                channel="iot",
                at=now,
                reason=_("设备已恢复：%(m)s") % {"m": message or fault},
                detail={"recovery": fault},
            )
    elif open_ticket:
        event_record(
            ticket=open_ticket,
            kind=Event.Kind.NOTE,
            channel="iot",
            at=now,
            reason=_("同一故障再次告警：%(m)s") % {"m": message or fault},
            detail={"repeat": fault},
        )
    else:
        urgent = any(word in f"{fault} {message}".lower() for word in EMERGENCY_FAULTS)
        text = _("%(name)s（%(loc)s）告警：%(m)s") % {
            "name": equipment.name,
            "loc": equipment.location,
            "m": message or fault,
        }
        category = EQUIPMENT_CATEGORY.get(equipment.kind, Category.FACILITIES)
        # A device knows what it is: its alarm needs no text classifier.
        labels = TriageResult(
            request_type=RequestType.REPAIR,
            category=category,
            department=department_for(category),
            urgency=Urgency.EMERGENCY if urgent else Urgency.URGENT,
            sentiment="neutral",
            sensitive=False,
            confidence=1.0,
            needs_review=False,
            rules=("device",),
        )
        alarm.ticket = request_intake(
            estate=estate, text=text, channel="iot", equipment=equipment, labels=labels, now=now
        ).ticket
        alarm.ticket.triage = {**alarm.ticket.triage, "fault": fault}
        alarm.ticket.save(update_fields=["triage"])
    alarm.save()
    return alarm, alarm.ticket is not None and alarm.ticket is not open_ticket
