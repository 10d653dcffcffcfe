"""Email goes through Django's configured backend; here a real SMTP server on loopback."""

from __future__ import annotations

import pytest

from guanjia.conftest import new_repair
from guanjia.notify.models import Notification
from guanjia.notify.services import notification_add, notifications_deliver


@pytest.mark.django_db
def test_email_arrives_at_the_smtp_server(hy, smtp):
    ticket = new_repair(hy.world)
    mail = notification_add(
        estate=hy.world.hy,
        channel=Notification.Channel.EMAIL,
        address="chenjing@example.com",
        template="ticket_resolved",
        body="您报修的厨房水管漏水已处理完毕，请确认。",
        ticket=ticket,
    )

    assert notifications_deliver().sent == 1

    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["chenjing@example.com"]
    [message] = smtp.messages
    assert message["From"] == "kefu@heyue-wuye.example"
    assert ticket.number in message["Subject"] and "和悦家园" in message["Subject"]
    assert "您报修的厨房水管漏水已处理完毕" in message.get_content()
    mail.refresh_from_db()
    assert mail.status == Notification.Status.SENT


@pytest.mark.django_db
def test_smtp_server_down_is_retried(world, clock, smtp, settings):
    settings.EMAIL_PORT = 9  # discard port: nobody listens
    mail = notification_add(
        estate=world.hy, channel=Notification.Channel.EMAIL, address="chenjing@example.com", template="t", body="hi"
    )

    assert notifications_deliver().retrying == 1

    mail.refresh_from_db()
    assert mail.status == Notification.Status.PENDING and "邮件发送失败" in mail.last_error
