"""The delivery sweep: what it takes, what it leaves, and that nothing is sent twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from guanjia.notify.models import Notification
from guanjia.notify.services import CLAIM_FOR, _claim, notification_add, notifications_deliver
from guanjia.notify.tasks import notifications_deliver_task


def sms(world, phone: str, text: str = "【和悦家园】您的报修已受理。") -> Notification:
    return notification_add(estate=world.hy, channel=Notification.Channel.SMS, address=phone, template="t", body=text)


@pytest.mark.django_db
def test_in_app_messages_count_as_delivered_once_in_the_inbox(world, clock):
    note = notification_add(estate=world.hy, recipient=world.li.user, template="clock_warning", body="工单即将超时")

    report = notifications_deliver()

    assert report.shown == 1
    note.refresh_from_db()
    assert note.status == Notification.Status.SENT and note.sent_at is not None
    assert note.read_at is None  # still unread: being shown is not being read


@pytest.mark.django_db
def test_one_failing_message_does_not_stop_the_next(world, clock, sms_gateway):
    first = sms(world, "+8613812345678")
    second = sms(world, "+8615800005678")
    sms_gateway.answers = [(500, {})]

    report = notifications_deliver()

    assert (report.retrying, report.sent) == (1, 1)
    assert Notification.objects.get(pk=first.pk).status == Notification.Status.PENDING
    assert Notification.objects.get(pk=second.pk).status == Notification.Status.SENT


@pytest.mark.django_db
def test_a_sent_message_is_never_sent_again(world, clock, sms_gateway):
    sms(world, "+8613812345678")

    notifications_deliver()
    clock.shift(timedelta(days=2))
    notifications_deliver()

    assert len(sms_gateway.received) == 1


@pytest.mark.django_db
def test_rows_claimed_by_another_worker_are_left_alone_until_that_worker_is_presumed_dead(world, clock, sms_gateway):
    text = sms(world, "+8613812345678")
    [claimed] = _claim(text.created_at, limit=10)  # a worker took it and died before sending

    assert notifications_deliver().sent == 0
    clock.shift(CLAIM_FOR)
    assert notifications_deliver().sent == 1

    assert claimed.pk == text.pk and len(sms_gateway.received) == 1


@pytest.mark.django_db
def test_a_batch_takes_at_most_limit_messages_oldest_first(world, clock, sms_gateway):
    rows = [sms(world, "+8613812345678", f"第{i}条") for i in range(3)]

    assert notifications_deliver(limit=2).sent == 2
    assert [r.body["text"] for r in sms_gateway.received] == ["第0条", "第1条"]
    assert notifications_deliver(limit=2).sent == 1
    assert Notification.objects.get(pk=rows[2].pk).status == Notification.Status.SENT


@pytest.mark.django_db
def test_worker_task_delivers_the_outbox(world, clock, sms_gateway):
    sms(world, "+8613812345678")

    result = notifications_deliver_task.enqueue()

    assert result.return_value["sent"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_row_another_worker_is_claiming_is_skipped_not_waited_for(world, sms_gateway):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: a second worker's claim queues behind the first")
    row = sms(world, "+8613812345678")
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                list(Notification.objects.select_for_update().filter(pk=row.pk))
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert locked.wait(timeout=30)
        report = notifications_deliver()
    finally:
        release.set()
        worker.join()

    assert report.sent == 0 and sms_gateway.received == []
