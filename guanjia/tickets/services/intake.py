"""Creating a work order: the one door every channel comes through."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.estates.models import CommonArea, Equipment, Estate, Unit
from guanjia.notify.services import notification_add
from guanjia.org.models import Department, Staff
from guanjia.org.roles import Role
from guanjia.org.selectors import staff_for_user
from guanjia.people.models import Resident
from guanjia.people.pii import normalise_phone
from guanjia.tickets.models import Channel, Event, State, Ticket
from guanjia.tickets.services.clocks import clocks_start
from guanjia.tickets.services.core import event_record, ticket_number_next
from guanjia.tickets.taxonomy import Category, RequestType, Urgency, department_for


def _same_estate(estate: Estate, **refs) -> None:
    errors = {
        name: _("不属于项目「%(estate)s」") % {"estate": estate.name}
        for name, obj in refs.items()
        if obj is not None and obj.estate_id != estate.id
    }
    if errors:
        raise ValidationError(errors)


def _choice(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("未知取值：%(v)s") % {"v": value}})
    return value


def supervisor_of(estate: Estate) -> Staff | None:
    return Staff.objects.filter(estates=estate, role=Role.SUPERVISOR, active=True).select_related("user").first()


@transaction.atomic
def ticket_create(
    *,
    estate: Estate,
    request_type: str,
    category: str,
    description: str,
    channel: str,
    user=None,
    urgency: str = Urgency.NORMAL,
    unit: Unit | None = None,
    common_area: CommonArea | None = None,
    equipment: Equipment | None = None,
    requester: Resident | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    preferred_visit_at: datetime | None = None,
    sensitive: bool = False,
    major: bool = False,
    now: datetime | None = None,
) -> Ticket:
    """A new work order, routed to the department that owns its category, with its promise clocks running.

    Calls for help are always emergencies. A sensitive message or a major complaint goes to the
    supervisor at once (state `escalated`), whatever its urgency.
    """
    now = now or timezone.now()
    _choice(request_type, RequestType, "request_type")
    _choice(category, Category, "category")
    _choice(urgency, Urgency, "urgency")
    _choice(channel, Channel, "channel")
    if not description.strip():
        raise ValidationError({"description": _("请描述报事内容")})
    _same_estate(estate, unit=unit, common_area=common_area, equipment=equipment, requester=requester)
    if contact_phone:
        contact_phone = normalise_phone(contact_phone)
    if request_type == RequestType.HELP:
        urgency = Urgency.EMERGENCY
    major = major or (request_type == RequestType.COMPLAINT and sensitive)

    ticket = Ticket(
        estate=estate,
        number=ticket_number_next(estate=estate, at=now),
        request_type=request_type,
        category=category,
        urgency=urgency,
        sensitive=sensitive,
        major=major,
        channel=channel,
        unit=unit,
        common_area=common_area,
        equipment=equipment,
        requester=requester,
        contact_name=contact_name or (requester.name if requester else ""),
        contact_phone=contact_phone or (requester.phone if requester else ""),
        description=description.strip(),
        preferred_visit_at=preferred_visit_at,
        first_contact=staff_for_user(user),  # 首问负责制: stays the owner until it closes
        department=Department.objects.filter(estate=estate, kind=department_for(category)).first(),
        created_at=now,
    )
    escalate = sensitive or major
    if escalate:
        ticket.state = State.ESCALATED
    clocks_start(ticket=ticket, now=now)
    ticket.save()
    event_record(
        ticket=ticket,
        kind=Event.Kind.CREATED,
        user=user,
        channel=channel,
        to_state=ticket.state,
        at=now,
        detail={"request_type": request_type, "category": category, "urgency": urgency},
    )
    if escalate:
        supervisor = supervisor_of(estate)
        event_record(
            ticket=ticket,
            kind=Event.Kind.ESCALATION,
            channel=channel,
            at=now,
            reason=_("高敏感/重大投诉，直接升级主管"),
            detail={"to": supervisor.pk if supervisor else None},
        )
        if supervisor:
            notification_add(
                estate=estate,
                recipient=supervisor.user,
                template="sensitive_ticket",
                ticket=ticket,
                body=_("高敏感工单 %(n)s：%(d)s") % {"n": ticket.number, "d": ticket.description[:60]},
            )
    return ticket
