"""Two people act on one ticket at the same moment: exactly one wins, the other gets a conflict."""

import threading

import pytest
from django.db import connection, connections

from guanjia.tickets.models import Event, State, Ticket
from guanjia.tickets.services import TicketConflict, ticket_dispatch
from guanjia.tickets.tests.conftest import new_repair

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are proven on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_dispatches_one_wins_one_conflicts(hy):
    w = hy.world
    ticket = new_repair(w)
    version = ticket.version
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def dispatch(name, assignee, user):
        try:
            start.wait()
            fresh = Ticket.objects.get(pk=ticket.pk)
            ticket_dispatch(ticket=fresh, assignee=assignee, user=user, version=version, channel="api")
            outcomes[name] = "won"
        except TicketConflict:
            outcomes[name] = "conflict"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=dispatch, args=("wang", w.li, w.wang.user)),
        threading.Thread(target=dispatch, args=("liaison", hy.tech2, hy.liaison.user)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "won"]
    ticket.refresh_from_db()
    winner = w.li if outcomes["wang"] == "won" else hy.tech2
    assert ticket.state == State.ASSIGNED and ticket.assignee == winner
    assert ticket.events.filter(kind=Event.Kind.TRANSITION, action="dispatch").count() == 1
