"""Background work for the outbox (django-tasks: database backend by default, RQ at scale)."""

from __future__ import annotations

from django_tasks import task

from guanjia.notify.services import notifications_deliver


@task()
def notifications_deliver_task() -> dict[str, int]:
    return notifications_deliver().as_dict()
