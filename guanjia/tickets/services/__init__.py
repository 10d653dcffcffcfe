"""Every change to a work order is one of these functions; pages, API, tasks and channels call them."""

from guanjia.tickets.services.clocks import clock_sweep
from guanjia.tickets.services.closing import (
    callback_record,
    confirmation_code_send,
    ticket_close,
    ticket_confirm,
    ticket_rate,
)
from guanjia.tickets.services.core import TicketConflict, ticket_lock
from guanjia.tickets.services.intake import ticket_create
from guanjia.tickets.services.work import (
    ticket_accept,
    ticket_arrive,
    ticket_cancel,
    ticket_decline,
    ticket_dispatch,
    ticket_escalate,
    ticket_hold,
    ticket_material_request,
    ticket_merge,
    ticket_note,
    ticket_photo_add,
    ticket_resolve,
    ticket_resume,
)

__all__ = [
    "TicketConflict",
    "callback_record",
    "clock_sweep",
    "confirmation_code_send",
    "ticket_accept",
    "ticket_arrive",
    "ticket_cancel",
    "ticket_close",
    "ticket_confirm",
    "ticket_create",
    "ticket_decline",
    "ticket_dispatch",
    "ticket_escalate",
    "ticket_hold",
    "ticket_lock",
    "ticket_material_request",
    "ticket_merge",
    "ticket_note",
    "ticket_photo_add",
    "ticket_rate",
    "ticket_resolve",
    "ticket_resume",
]
