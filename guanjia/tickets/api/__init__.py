"""The work order over REST; see views.py for how errors read."""

from guanjia.tickets.api.views import CallbackViewSet, TicketViewSet

__all__ = ["CallbackViewSet", "TicketViewSet"]
