"""A clerk corrects the labels automatic triage gave a ticket; the correction becomes training data."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.org.models import Department
from guanjia.org.selectors import staff_for_user
from guanjia.tickets.lifecycle import TransitionRefused
from guanjia.tickets.models import Event, LabelCorrection, Ticket
from guanjia.tickets.services.clocks import clocks_start
from guanjia.tickets.services.core import event_record, ticket_lock
from guanjia.tickets.taxonomy import Category, RequestType, Urgency, department_for

SENTIMENTS = ("positive", "neutral", "negative", "angry")


@transaction.atomic
def ticket_relabel(
    *,
    ticket: Ticket,
    user,
    version: int,
    channel: str,
    request_type: str,
    category: str,
    urgency: str,
    sensitive: bool,
    sentiment: str = "",
    now: datetime | None = None,
) -> Ticket:
    """Set the right labels. The queue follows the category, the promise follows type and urgency
    (counted from when the owner asked, not from the correction)."""
    if staff_for_user(user) is None:
        raise TransitionRefused(_("只有员工可以更正分类"))
    errors = {}
    for field, value, choices in (
        ("request_type", request_type, RequestType),
        ("category", category, Category),
        ("urgency", urgency, Urgency),
    ):
        if value not in choices.values:
            errors[field] = _("未知取值：%(v)s") % {"v": value}
    if sentiment and sentiment not in SENTIMENTS:
        errors["sentiment"] = _("未知取值：%(v)s") % {"v": sentiment}
    if errors:
        raise ValidationError(errors)
    if not ticket.is_open:
        raise TransitionRefused(_("工单已关闭，不能更正分类"))
    now = now or timezone.now()
    ticket = ticket_lock(ticket=ticket, expected_version=version)
    before = {
        "request_type": ticket.request_type,
        "category": ticket.category,
        "urgency": ticket.urgency,
        "sensitive": ticket.sensitive,
        "sentiment": ticket.triage.get("sentiment", ""),
    }
    after = {
        "request_type": request_type,
        "category": category,
        "urgency": urgency,
        "sensitive": bool(sensitive),
        "sentiment": sentiment or before["sentiment"],
    }
    ticket.request_type, ticket.category, ticket.urgency, ticket.sensitive = (
        request_type,
        category,
        urgency,
        bool(sensitive),
    )
    kind = department_for(category)
    if ticket.department is None or ticket.department.kind != kind:
        ticket.department = Department.objects.filter(estate_id=ticket.estate_id, kind=kind).first()
    ticket.needs_review = False
    ticket.triage = {**ticket.triage, **after, "corrected": True}
    if not ticket.resolved_at:
        clocks_start(ticket=ticket, now=ticket.created_at)
    ticket.save()
    LabelCorrection.objects.create(
        estate_id=ticket.estate_id,
        ticket=ticket,
        text=ticket.description,
        before=before,
        after=after,
        corrected_by=user,
        corrected_at=now,
    )
    event_record(
        ticket=ticket,
        kind=Event.Kind.RELABEL,
        user=user,
        channel=channel,
        at=now,
        detail={"before": before, "after": after},
    )
    return ticket


def corrections_as_training_rows(*, since: datetime | None = None):
    """The rows `guanjia triage retrain --corrections FILE` reads: text plus the five labels."""
    qs = LabelCorrection.objects.order_by("corrected_at", "id")
    if since:
        qs = qs.filter(corrected_at__gte=since)
    for c in qs.iterator():
        yield {
            "text": c.text,
            "request_type": c.after["request_type"],
            "category": c.after["category"],
            "urgency": c.after["urgency"],
            "sentiment": c.after.get("sentiment") or "neutral",
            "sensitive": c.after["sensitive"],
            "ticket": c.ticket_id,
            "corrected_at": c.corrected_at.isoformat(),
        }
