"""`guanjia worker`: the django-tasks worker plus the schedule of periodic jobs.

The schedule only enqueues; the worker (django-tasks-db's db_worker, or RQ at scale) runs them, so
several worker processes can share one schedule without doing the same job twice.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from guanjia.intake.email.tasks import mail_poll_task
from guanjia.notify.tasks import notifications_deliver_task
from guanjia.tickets.services.clocks import clock_sweep
from guanjia.tickets.tasks import clock_sweep_task


def _schedule(stop: threading.Event, every: int, mail_every: int) -> None:
    """Enqueue the clock sweep and the outbox delivery every `every` seconds, the mailbox poll every `mail_every`."""
    ticks = 0
    while not stop.is_set():
        clock_sweep_task.enqueue()
        notifications_deliver_task.enqueue()
        if ticks % max(1, mail_every // max(1, every)) == 0:
            mail_poll_task.enqueue()
        ticks += 1
        stop.wait(every)


class Command(BaseCommand):
    help = "运行后台任务和定时检查（工单时限）"

    def add_arguments(self, parser):
        parser.add_argument("--sweep-seconds", type=int, default=settings.GUANJIA_CLOCK_SWEEP_SECONDS)
        parser.add_argument("--once", action="store_true", help="sweep the clocks once, in this process, and exit")

    def handle(self, *args, once: bool, sweep_seconds: int, verbosity: int, **options):
        if once:
            fired = clock_sweep()
            self.stdout.write(f"clock sweep: {fired} warnings/escalations")
            return
        stop = threading.Event()
        mail_seconds = settings.GUANJIA_MAIL_POLL_SECONDS
        threading.Thread(
            target=_schedule, args=(stop, sweep_seconds, mail_seconds), daemon=True, name="schedule"
        ).start()
        try:
            call_command("db_worker", verbosity=verbosity)
        finally:
            stop.set()
