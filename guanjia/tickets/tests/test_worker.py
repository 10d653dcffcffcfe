from datetime import timedelta

import pytest
from django.core.management import call_command

from guanjia.tickets.services import ticket_dispatch
from guanjia.tickets.tasks import clock_sweep_task
from guanjia.tickets.tests.conftest import MONDAY_9, new_repair

pytestmark = pytest.mark.django_db


def test_worker_once_sweeps_due_clocks(hy, clock, capsys):
    w = hy.world
    t = new_repair(w, urgency="emergency")
    ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=t.version, channel="page")
    clock.move_to(MONDAY_9 + timedelta(minutes=31))
    call_command("worker", "--once")
    assert "clock sweep: " in capsys.readouterr().out
    assert t.events.filter(kind="breach", detail__clock="arrive").exists()


def test_clock_sweep_runs_as_a_background_task(hy, clock):
    w = hy.world
    t = new_repair(w, urgency="emergency")
    clock.move_to(MONDAY_9 + timedelta(minutes=4))
    result = clock_sweep_task.enqueue()  # ImmediateBackend in tests; the database backend in the demo
    assert result.return_value >= 1
    assert t.events.filter(kind="warning", detail__clock="ack").exists()
