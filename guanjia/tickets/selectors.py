"""Reading work orders: always scoped to what the user may see, relations preloaded for the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.org.models import Staff
from guanjia.org.roles import Role
from guanjia.org.selectors import estate_ids_for_user, staff_for_user, staff_on_duty
from guanjia.tickets.models import FINISHED_STATES, TERMINAL_STATES, Callback, State, Ticket
from guanjia.tickets.taxonomy import Category
from guanjia.tickets.workdays import LOCAL

LIST_RELATIONS = ("estate", "unit", "common_area", "assignee", "department")
SORTS = {
    "created": "-created_at",
    "-created": "created_at",
    "due": "resolve_due_at",
    "-due": "-resolve_due_at",
    "urgency": "urgency",
    "state": "state",
    "number": "number",
}


def tickets_for_user(user) -> QuerySet[Ticket]:
    """Staff: their estates' tickets. An owner: the tickets they reported."""
    qs = Ticket.objects.select_related(*LIST_RELATIONS)
    if user.is_superuser or staff_for_user(user) is not None:
        return qs.filter(estate_id__in=estate_ids_for_user(user))
    return qs.filter(requester__user=user)


def ticket_for_user(*, user, ticket_id: int) -> Ticket:
    qs = tickets_for_user(user).select_related("requester", "first_contact", "equipment", "merged_into")
    return get_object_or_404(qs, pk=ticket_id)


def ticket_timeline(*, ticket: Ticket):
    return ticket.events.select_related("actor__staff").order_by("at", "id")


@dataclass(frozen=True)
class TicketFilters:
    queue: str = "estate"  # mine | department | estate
    state: str = "open"  # open | closed | all | a State value
    request_type: str = ""
    urgency: str = ""
    category: str = ""
    estate: int | None = None
    q: str = ""
    sort: str = "created"
    overdue: bool = False

    @classmethod
    def from_params(cls, params) -> TicketFilters:
        estate = params.get("estate", "")
        return cls(
            queue=params.get("queue", "estate")
            if params.get("queue") in ("mine", "department", "estate")
            else "estate",
            state=params.get("state", "open") or "open",
            request_type=params.get("type", ""),
            urgency=params.get("urgency", ""),
            category=params.get("category", ""),
            estate=int(estate) if estate.isdigit() else None,
            q=params.get("q", "").strip(),
            sort=params.get("sort", "created") if params.get("sort") in SORTS else "created",
            overdue=params.get("overdue") in ("1", "true", "on"),
        )


def ticket_search(*, user, filters: TicketFilters, now: datetime | None = None) -> QuerySet[Ticket]:
    qs = tickets_for_user(user)
    staff = staff_for_user(user)
    if filters.queue == "mine" and staff:
        qs = qs.filter(Q(assignee=staff) | Q(first_contact=staff))
    elif filters.queue == "department" and staff and staff.department_id:
        qs = qs.filter(department__kind=staff.department.kind)
    if filters.estate:
        qs = qs.filter(estate_id=filters.estate)
    if filters.state == "open":
        qs = qs.exclude(state__in=TERMINAL_STATES)
    elif filters.state == "closed":
        qs = qs.filter(state__in=TERMINAL_STATES)
    elif filters.state in State.values:
        qs = qs.filter(state=filters.state)
    if filters.request_type:
        qs = qs.filter(request_type=filters.request_type)
    if filters.urgency:
        qs = qs.filter(urgency=filters.urgency)
    if filters.category in Category.values:
        qs = qs.filter(category=filters.category)
    if filters.overdue:
        qs = qs.filter(resolve_due_at__lt=now or timezone.now(), resolved_at__isnull=True)
    if filters.q:
        q = filters.q
        qs = qs.filter(Q(number__icontains=q) | Q(description__contains=q) | Q(unit__code__startswith=q))
    return qs.order_by(SORTS[filters.sort], "-id")


def suggest_assignees(*, ticket: Ticket, at: datetime | None = None, limit: int = 8) -> list[Staff]:
    """Who should take it: people of the owning department, on duty now first, skill match next,
    lightest current load last."""
    at = at or timezone.now()
    field_roles = [Role.TECHNICIAN, Role.SECURITY_OFFICER, Role.CLEANER, Role.COMPLAINT_HANDLER, Role.FRONT_DESK]
    candidates = Staff.objects.filter(estates=ticket.estate_id, active=True, role__in=field_roles)
    if ticket.department_id:
        candidates = candidates.filter(department__kind=ticket.department.kind)
    candidates = candidates.annotate(
        load=Count("assigned_tickets", filter=~Q(assigned_tickets__state__in=FINISHED_STATES))
    ).select_related("user", "department")
    on_duty = set(staff_on_duty(estate=ticket.estate, at=at).values_list("id", flat=True))
    wanted = Category(ticket.category).label
    key_words = {ticket.category, str(wanted)[:2]}

    def rank(staff: Staff):
        skilled = any(k and k in staff.skills for k in key_words)
        return (staff.id not in on_duty, not skilled, staff.load, staff.id)

    ranked = sorted(candidates, key=rank)[:limit]
    for staff in ranked:
        staff.on_duty = staff.id in on_duty
    return ranked


def callbacks_due(*, user, now: datetime | None = None, within: timedelta = timedelta(hours=48)) -> QuerySet[Callback]:
    """The callback desk: pending callbacks of the user's estates, most urgent first."""
    now = now or timezone.now()
    if not user.is_superuser and staff_for_user(user) is None:
        return Callback.objects.none()  # owners are called back; they don't see the desk
    return (
        Callback.objects.filter(
            estate_id__in=estate_ids_for_user(user), outcome=Callback.Outcome.PENDING, due_at__lte=now + within
        )
        .select_related("ticket__unit", "ticket__assignee", "ticket__estate")
        .order_by("due_at")
    )


def morning_meeting(*, user, now: datetime | None = None) -> dict[str, list[Ticket]]:
    """晨会: by department, what is still open from yesterday or earlier, and what breached a promise."""
    now = now or timezone.now()
    today = now.astimezone(LOCAL).replace(hour=0, minute=0, second=0, microsecond=0)
    qs = (
        tickets_for_user(user)
        .exclude(state__in=TERMINAL_STATES)
        .filter(Q(created_at__lt=today) | Q(escalation_level__gt=0))
        .order_by("department__kind", "-escalation_level", "created_at")
    )
    by_department: dict[str, list[Ticket]] = {}
    for ticket in qs:
        name = ticket.department.get_kind_display() if ticket.department else _("未分派")
        by_department.setdefault(str(name), []).append(ticket)
    return by_department
