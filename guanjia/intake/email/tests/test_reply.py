"""Staff answer an emailed request over SMTP (a real aiosmtpd server); the owner's answer threads back."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.conftest import new_repair
from guanjia.intake.email.models import MailLink
from guanjia.intake.email.services import mailbox_poll, staff_reply_send
from guanjia.tickets.models import Event, Ticket

COMPLAINT_ID = "<202611230841071138423@163.example>"


@pytest.fixture
def emailed(mailroom):
    """陈静's complaint, taken in by mail: HY-20261123-0001."""
    mailroom.deliver("owner_complaint.eml")
    mailbox_poll(mailbox=mailroom.mailbox)
    return Ticket.objects.get()


def test_a_staff_reply_goes_out_with_the_ticket_number_and_her_mail_as_in_reply_to(mailroom, hy, emailed):
    wang = hy.world.wang  # front desk, 和悦家园

    link = staff_reply_send(ticket=emailed, user=wang.user, body="陈女士您好，已通知环境部今天上午清运，请您放心。")

    [envelope] = mailroom.smtp.envelopes
    assert envelope.rcpt_tos == ["chenjing1978@163.example"]
    assert envelope.mail_from == "kefu@heyue-wuye.example"
    [sent] = mailroom.smtp.messages
    assert sent["Subject"] == "Re: [HY-20261123-0001] 投诉：3栋楼下垃圾桶三天没人清运，臭气熏天"
    assert sent["In-Reply-To"] == COMPLAINT_ID
    assert sent["References"] == COMPLAINT_ID
    assert sent["X-Guanjia-Ticket"] == "HY-20261123-0001"
    assert sent["Message-ID"].strip() == f"<{link.message_id}>"  # folded onto its own line: 78 columns
    assert link.message_id.endswith("@guanjia.heyue-wuye.example")
    assert sent["From"].addresses[0].display_name == "和悦家园"
    assert sent.get_content().strip() == "陈女士您好，已通知环境部今天上午清运，请您放心。"
    assert (link.direction, link.ticket, link.address) == ("out", emailed, "chenjing1978@163.example")
    note = emailed.events.get(kind=Event.Kind.NOTE)
    assert note.actor == wang.user and note.channel == "email" and "已通知环境部" in note.reason


def test_her_answer_to_our_reply_threads_back_to_the_ticket(mailroom, hy, emailed):
    link = staff_reply_send(ticket=emailed, user=hy.world.wang.user, body="请问您方便下午几点在家？")
    [sent] = mailroom.smtp.messages
    answer = EmailMessage()
    answer["From"] = "陈静 <chenjing1978@163.example>"
    answer["To"] = sent["From"]
    answer["Subject"] = "回复：时间"  # her mail program dropped the ticket number: only In-Reply-To is left
    answer["Message-ID"] = make_msgid(domain="163.example")
    answer["In-Reply-To"] = sent["Message-ID"]
    answer["References"] = f"{sent['References']} {sent['Message-ID']}"
    answer.set_content(f"下午三点以后都在。\n\n在 2026-11-23 10:02，和悦家园 写道：\n> {sent.get_content().strip()}\n")
    mailroom.deliver(answer.as_bytes())

    report = mailbox_poll(mailbox=mailroom.mailbox)

    assert report.followed_up == [emailed.number] and Ticket.objects.count() == 1
    notes = list(emailed.events.filter(kind=Event.Kind.NOTE).values_list("reason", flat=True))
    assert notes[-1].endswith("下午三点以后都在。") and "方便下午几点" not in notes[-1]
    assert MailLink.objects.filter(ticket=emailed).count() == 3
    assert link.message_id in answer["In-Reply-To"]


def test_our_reply_coming_back_into_the_inbox_is_not_taken_as_her_answer(mailroom, hy, emailed):
    staff_reply_send(ticket=emailed, user=hy.world.wang.user, body="已安排。")
    mailroom.deliver(mailroom.smtp.envelopes[0].content)  # a Bcc to ourselves, or a forwarding rule

    report = mailbox_poll(mailbox=mailroom.mailbox)

    assert list(report.ignored.values()) == ["loop"] and report.followed_up == []


def test_staff_of_another_estate_may_not_reply(mailroom, hy, emailed):
    with pytest.raises(PermissionDenied):
        staff_reply_send(ticket=emailed, user=hy.world.zhao.user, body="您好")  # front desk, 环球中心
    assert mailroom.smtp.envelopes == []


def test_a_ticket_that_did_not_come_by_mail_cannot_be_answered_by_mail(mailroom, hy):
    ticket = new_repair(hy.world)
    with pytest.raises(ValidationError):
        staff_reply_send(ticket=ticket, user=hy.world.wang.user, body="您好")
    with pytest.raises(ValidationError):
        staff_reply_send(ticket=ticket, user=hy.world.wang.user, body="  ")
    assert mailroom.smtp.envelopes == []


def test_the_ticket_page_sends_the_reply_and_shows_the_form_only_for_mailed_tickets(mailroom, hy, emailed, client):
    client.force_login(hy.world.wang.user)
    page = client.get(f"/tickets/{emailed.id}/").content.decode()
    assert f"/intake/mail/{emailed.id}/reply/" in page
    response = client.post(f"/intake/mail/{emailed.id}/reply/", {"body": "陈女士您好，今天上午清运。"})
    assert response.status_code == 302
    [sent] = mailroom.smtp.messages
    assert "HY-20261123-0001" in sent["Subject"]
    other = new_repair(hy.world)
    assert f"/intake/mail/{other.id}/reply/" not in client.get(f"/tickets/{other.id}/").content.decode()
    client.post(f"/intake/mail/{other.id}/reply/", {"body": "x"})
    assert len(mailroom.smtp.messages) == 1  # nothing sent for a ticket that did not come by mail


def test_staff_of_another_estate_cannot_reply_from_the_page(mailroom, hy, emailed, client):
    client.force_login(hy.world.zhao.user)
    assert client.post(f"/intake/mail/{emailed.id}/reply/", {"body": "hi"}).status_code == 404
    assert mailroom.smtp.messages == []
