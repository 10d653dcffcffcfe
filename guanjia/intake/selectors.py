"""The hotline's customer card: who is calling, where they live, who lives with them, what they asked before."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from guanjia.people.models import Occupancy, Resident
from guanjia.people.pii import normalise_phone
from guanjia.people.selectors import residents_for_user
from guanjia.tickets.models import FINISHED_STATES, Ticket


@dataclass
class CustomerCard:
    phone: str
    resident: Resident | None
    occupancies: list[Occupancy] = field(default_factory=list)
    household: list[Occupancy] = field(default_factory=list)
    open_tickets: list[Ticket] = field(default_factory=list)
    past_tickets: list[Ticket] = field(default_factory=list)

    @property
    def average_rating(self) -> float | None:
        scores = [t.rating.overall for t in self.past_tickets if hasattr(t, "rating")]
        return round(sum(scores) / len(scores), 1) if scores else None


def customer_card(*, user, phone: str) -> CustomerCard:
    """Everything the agent needs in one screen, scoped to the agent's estates."""
    e164 = normalise_phone(phone)  # raises ValidationError for a number that cannot be a phone
    resident = (
        residents_for_user(user)
        .filter(phone=e164)
        .prefetch_related(Prefetch("occupancies", queryset=Occupancy.objects.select_related("unit__building")))
        .first()
    )
    card = CustomerCard(phone=e164, resident=resident)
    if resident is None:
        return card
    card.occupancies = [o for o in resident.occupancies.all() if o.moved_out_on is None]
    units = [o.unit_id for o in card.occupancies]
    card.household = list(
        Occupancy.objects.filter(unit_id__in=units, moved_out_on__isnull=True)
        .exclude(resident=resident)
        .select_related("resident", "unit")
    )
    tickets = list(
        Ticket.objects.filter(estate_id=resident.estate_id, requester=resident)
        .select_related("unit", "assignee", "rating")
        .order_by("-created_at")[:30]
    )
    card.open_tickets = [t for t in tickets if t.state not in FINISHED_STATES]
    card.past_tickets = [t for t in tickets if t.state in FINISHED_STATES]
    return card
