"""Staff re-queue failed messages from the admin after fixing what was wrong."""

from __future__ import annotations

import pytest

from guanjia.notify.models import Notification
from guanjia.notify.services import notification_add


def failed_sms(estate) -> Notification:
    note = notification_add(
        estate=estate, channel=Notification.Channel.SMS, address="+8613812345678", template="t", body="确认码 482913"
    )
    Notification.objects.filter(pk=note.pk).update(
        status=Notification.Status.FAILED, attempts=5, last_error="短信网关拒绝发往 138****5678 的短信：HTTP 400"
    )
    return note


@pytest.mark.django_db
def test_front_desk_requeues_failed_messages_of_their_estate(world, client):
    ours, theirs = failed_sms(world.hy), failed_sms(world.tower)
    client.force_login(world.wang.user)  # front desk, 和悦家园

    page = client.get("/admin/notify/notification/")
    assert "重新发送" in page.content.decode()
    client.post(
        "/admin/notify/notification/", {"action": "resend", "_selected_action": [ours.pk, theirs.pk]}, follow=True
    )

    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, ours.attempts, ours.next_attempt_at) == (Notification.Status.PENDING, 0, None)
    assert theirs.status == Notification.Status.FAILED  # another estate's row does not exist for them


@pytest.mark.django_db
def test_delivery_details_are_shown_read_only(world, client):
    note = failed_sms(world.hy)
    client.force_login(world.wang.user)

    page = client.get(f"/admin/notify/notification/{note.pk}/change/").content.decode()

    assert "最近错误" in page and "138****5678" in page
    assert 'name="last_error"' not in page


@pytest.mark.django_db
def test_a_confirmation_code_is_never_shown_in_the_admin(world, client):
    code = notification_add(
        estate=world.hy,
        channel=Notification.Channel.SMS,
        address="+8613812345678",
        template="confirm_code",
        body="【管家】工单 HY-1 已完成，确认码 482913，24小时内有效。",
    )
    other = notification_add(estate=world.hy, template="ticket_resolved", body="您的工单 HY-2 已处理完毕")
    client.force_login(world.wang.user)

    assert "482913" not in client.get(f"/admin/notify/notification/{code.pk}/change/").content.decode()
    assert "HY-2 已处理完毕" in client.get(f"/admin/notify/notification/{other.pk}/change/").content.decode()
