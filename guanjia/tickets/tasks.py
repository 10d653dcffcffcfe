"""Background work for tickets (django-tasks: database backend by default, RQ at scale)."""

from __future__ import annotations

from django_tasks import task

from guanjia.tickets.report import service_report_write
from guanjia.tickets.services.clocks import clock_sweep


@task()
def clock_sweep_task() -> int:
    return clock_sweep()


@task()
def service_report_generate(ticket_id: int) -> str:
    return service_report_write(ticket_id=ticket_id)
