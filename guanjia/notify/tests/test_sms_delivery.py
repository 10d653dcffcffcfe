"""SMS goes out through the HTTP gateway; failures are retried on a backoff and then given up."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from guanjia.notify.models import Notification
from guanjia.notify.services import MAX_ATTEMPTS, RETRY_AFTER, notification_add, notifications_deliver

CHEN_PHONE = "+8613812345678"  # 陈静, owner of HY 3-2-1102
CODE_TEXT = "【管家】工单 HY-20261123-0001 已完成，确认码 482913，24小时内有效。"


def confirmation_sms(world, *, phone: str = CHEN_PHONE, text: str = CODE_TEXT) -> Notification:
    return notification_add(
        estate=world.hy, channel=Notification.Channel.SMS, address=phone, template="confirm_code", body=text
    )


@pytest.mark.django_db
def test_sms_reaches_the_gateway_with_phone_text_and_key(world, clock, sms_gateway):
    sms = confirmation_sms(world)

    report = notifications_deliver()

    assert report.sent == 1
    [request] = sms_gateway.received
    assert (request.method, request.path) == ("POST", "/send")
    assert request.body == {"phone": CHEN_PHONE, "text": CODE_TEXT}
    assert request.headers["authorization"] == "Bearer k-test-123"
    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENT
    assert sms.sent_at is not None and sms.attempts == 1 and sms.last_error == ""


@pytest.mark.django_db
def test_gateway_error_is_retried_after_a_minute_and_then_sends(world, clock, sms_gateway):
    sms = confirmation_sms(world)
    sms_gateway.answers = [(500, {"error": "upstream busy"})]

    report = notifications_deliver()

    assert report.retrying == 1
    sms.refresh_from_db()
    assert sms.status == Notification.Status.PENDING and sms.attempts == 1
    assert "HTTP 500" in sms.last_error and "138****5678" in sms.last_error
    clock.shift(timedelta(seconds=59))
    assert notifications_deliver().sent == 0  # not due yet
    assert len(sms_gateway.received) == 1

    clock.shift(timedelta(seconds=1))
    assert notifications_deliver().sent == 1

    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENT and sms.attempts == 2
    assert len(sms_gateway.received) == 2


@pytest.mark.django_db
def test_gateway_failing_five_times_over_backoff_fails_the_sms_for_good(world, clock, sms_gateway):
    sms = confirmation_sms(world)
    sms_gateway.answers = [(503, {})] * MAX_ATTEMPTS

    notifications_deliver()
    for wait in RETRY_AFTER:  # 1 min, 5 min, 30 min, 2 h
        sms.refresh_from_db()
        assert sms.status == Notification.Status.PENDING
        clock.shift(wait)
        notifications_deliver()

    sms.refresh_from_db()
    assert sms.status == Notification.Status.FAILED
    assert sms.attempts == MAX_ATTEMPTS == 5 and sms.next_attempt_at is None
    clock.shift(timedelta(days=1))
    notifications_deliver()
    assert len(sms_gateway.received) == MAX_ATTEMPTS


@pytest.mark.django_db
def test_gateway_refusing_the_number_fails_the_sms_at_once(world, clock, sms_gateway):
    sms = confirmation_sms(world)
    sms_gateway.answers = [(400, {"error": "invalid phone"})]

    assert notifications_deliver().failed == 1

    sms.refresh_from_db()
    assert sms.status == Notification.Status.FAILED and sms.attempts == 1


@pytest.mark.django_db
def test_unconfigured_gateway_keeps_sms_pending_with_the_reason(world, clock, settings):
    settings.GUANJIA_SMS_GATEWAY_URL = ""
    sms = confirmation_sms(world)

    report = notifications_deliver()

    assert report.waiting == 1 and report.failed == 0
    sms.refresh_from_db()
    assert sms.status == Notification.Status.PENDING
    assert sms.attempts == 0
    assert "GUANJIA_SMS_GATEWAY_URL" in sms.last_error


@pytest.mark.django_db
def test_sms_waiting_for_a_gateway_goes_once_one_is_configured(world, clock, settings, sms_gateway):
    url = settings.GUANJIA_SMS_GATEWAY_URL
    settings.GUANJIA_SMS_GATEWAY_URL = ""
    sms = confirmation_sms(world)
    notifications_deliver()

    settings.GUANJIA_SMS_GATEWAY_URL = url
    clock.shift(timedelta(minutes=10))
    assert notifications_deliver().sent == 1

    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENT and sms.last_error == ""


@pytest.mark.django_db
def test_unreachable_gateway_is_retried(world, clock, settings, sms_gateway):
    settings.GUANJIA_SMS_GATEWAY_URL = "http://127.0.0.1:9/send"  # discard port: nobody listens
    sms = confirmation_sms(world)

    assert notifications_deliver().retrying == 1

    sms.refresh_from_db()
    assert sms.status == Notification.Status.PENDING and "短信网关无法连接" in sms.last_error


@pytest.mark.django_db
def test_sms_text_and_full_number_never_reach_the_logs(world, clock, sms_gateway, caplog):
    caplog.set_level(logging.DEBUG)
    sent = confirmation_sms(world)
    retried = confirmation_sms(world, phone="+8615800005678")
    refused = confirmation_sms(world, phone="+8613912340001")
    sms_gateway.answers = [(200, {}), (500, {"error": CODE_TEXT}), (400, {"error": CODE_TEXT})]

    notifications_deliver()

    assert [n.status for n in Notification.objects.filter(pk__in=[sent.pk, retried.pk, refused.pk]).order_by("pk")] == [
        "sent",
        "pending",
        "failed",
    ]
    assert caplog.records  # the failures were logged ...
    logged = caplog.text + "".join(Notification.objects.values_list("last_error", flat=True))
    assert "482913" not in logged and CODE_TEXT not in logged  # ... without the code
    assert "15800005678" not in logged and "13912340001" not in logged
    assert "158****5678" in logged
