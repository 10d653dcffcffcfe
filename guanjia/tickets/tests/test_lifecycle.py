"""The state machine: allowed transitions move the ticket and leave one event; refused ones change nothing."""

import pytest

from guanjia.tickets.lifecycle import TransitionRefused
from guanjia.tickets.models import Event, State
from guanjia.tickets.services import (
    TicketConflict,
    ticket_accept,
    ticket_cancel,
    ticket_dispatch,
    ticket_hold,
    ticket_merge,
    ticket_resolve,
    ticket_resume,
)
from guanjia.tickets.tests.conftest import MONDAY_9, new_repair

pytestmark = pytest.mark.django_db


def snapshot(ticket):
    ticket.refresh_from_db()
    return (ticket.state, ticket.version, ticket.assignee_id, ticket.events.count())


def test_ticket_number_is_readable_per_estate_and_day(hy):
    first = new_repair(hy.world)
    second = new_repair(hy.world)
    assert first.number == "HY-20261123-0001"
    assert second.number == "HY-20261123-0002"


def test_new_repair_goes_to_the_engineering_queue_and_keeps_its_first_contact(hy):
    ticket = new_repair(hy.world)
    assert ticket.department.kind == "engineering"
    assert ticket.first_contact == hy.world.wang
    assert ticket.state == State.NEW
    assert list(ticket.events.values_list("kind", flat=True)) == ["created"]


def test_dispatch_accept_resolve_records_one_event_each(hy):
    w = hy.world
    t = new_repair(w)
    t = ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=t.version, channel="page")
    t = ticket_accept(ticket=t, user=w.li.user, version=t.version, channel="app")
    assert t.state == State.ACCEPTED and t.acknowledged_at == t.events.filter(action="dispatch").get().at
    transitions = list(t.events.filter(kind=Event.Kind.TRANSITION).values_list("from_state", "to_state", "actor"))
    assert transitions == [("new", "assigned", w.wang.user.id), ("assigned", "accepted", w.li.user.id)]


@pytest.mark.parametrize(
    "act",
    [
        lambda t, w: ticket_accept(ticket=t, user=w.li.user, version=t.version, channel="app"),
        lambda t, w: ticket_resolve(ticket=t, user=w.wang.user, version=t.version, channel="page", work_done="x"),
        lambda t, w: ticket_resume(ticket=t, user=w.wang.user, version=t.version, channel="page"),
    ],
    ids=["accept-unassigned", "resolve-new-repair", "resume-not-held"],
)
def test_transition_not_allowed_from_state_is_refused_and_changes_nothing(hy, act):
    t = new_repair(hy.world)
    before = snapshot(t)
    with pytest.raises(TransitionRefused, match="不能执行"):
        act(t, hy.world)
    assert snapshot(t) == before


def test_technician_cannot_dispatch_and_nothing_changes(hy):
    w = hy.world
    t = new_repair(w)
    before = snapshot(t)
    with pytest.raises(TransitionRefused, match="岗位"):
        ticket_dispatch(ticket=t, assignee=w.li, user=w.li.user, version=t.version, channel="app")
    assert snapshot(t) == before


def test_someone_elses_job_cannot_be_accepted_by_another_technician(hy):
    w = hy.world
    t = new_repair(w)
    t = ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=t.version, channel="page")
    with pytest.raises(TransitionRefused):
        ticket_accept(ticket=t, user=hy.tech2.user, version=t.version, channel="app")


def test_stale_version_is_a_conflict_and_changes_nothing(hy):
    w = hy.world
    t = new_repair(w)
    stale = t.version
    ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=stale, channel="page")
    before = snapshot(t)
    with pytest.raises(TicketConflict) as caught:
        ticket_dispatch(ticket=t, assignee=hy.tech2, user=w.wang.user, version=stale, channel="page")
    assert caught.value.ticket.state == State.ASSIGNED  # the loser sees the fresh state
    assert snapshot(t) == before


def test_dispatch_to_staff_of_another_estate_is_refused(hy):
    w = hy.world
    t = new_repair(w)
    before = snapshot(t)
    with pytest.raises(Exception, match="不在该项目"):
        ticket_dispatch(ticket=t, assignee=w.zhao, user=w.wang.user, version=t.version, channel="page")
    assert snapshot(t) == before


def test_hold_needs_a_reason_and_resume_returns_to_the_previous_state(hy):
    w = hy.world
    t = new_repair(w)
    t = ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=t.version, channel="page")
    t = ticket_accept(ticket=t, user=w.li.user, version=t.version, channel="app")
    with pytest.raises(Exception, match="原因"):
        ticket_hold(ticket=t, user=w.li.user, version=t.version, channel="app", reason="  ")
    t = ticket_hold(ticket=t, user=w.li.user, version=t.version, channel="app", reason="等配件")
    assert t.state == State.ON_HOLD
    t = ticket_resume(ticket=t, user=w.wang.user, version=t.version, channel="page")
    assert t.state == State.ACCEPTED


def test_cancel_with_reason_stops_the_clocks(hy):
    w = hy.world
    t = new_repair(w)
    t = ticket_cancel(ticket=t, user=w.wang.user, version=t.version, channel="page", reason="业主自行修好")
    assert t.state == State.CANCELLED and t.next_check_at is None
    assert t.events.last().reason == "业主自行修好"


def test_merge_a_duplicate_into_the_open_ticket(hy):
    w = hy.world
    keep, dup = new_repair(w), new_repair(w)
    dup = ticket_merge(ticket=dup, into=keep, user=w.wang.user, version=dup.version, channel="page")
    assert dup.state == State.MERGED and dup.merged_into == keep
    assert keep.events.filter(kind="note", detail__merged=dup.number).exists()


def test_merge_into_itself_is_refused(hy):
    t = new_repair(hy.world)
    before = snapshot(t)
    with pytest.raises(Exception, match="合并"):
        ticket_merge(ticket=t, into=t, user=hy.world.wang.user, version=t.version, channel="page")
    assert snapshot(t) == before


def test_ticket_for_a_unit_of_another_estate_is_refused(hy):
    from guanjia.tickets.models import Ticket

    with pytest.raises(Exception, match="不属于项目"):
        new_repair(hy.world, unit=hy.world.t1_2305)
    assert Ticket.objects.count() == 0


def test_sensitive_complaint_goes_straight_to_the_supervisor(hy):
    w = hy.world
    t = new_repair(
        w, request_type="complaint", category="noise", sensitive=True, description="楼上天天半夜剁肉，再不管我就打12345"
    )
    assert t.state == State.ESCALATED and t.major
    assert hy.sup.user.notifications.filter(template="sensitive_ticket", ticket=t).exists()
    assert t.ack_due_at == MONDAY_9 + __import__("datetime").timedelta(minutes=30)
