"""Polling 和悦家园's service mailbox on a real dovecot: new mail, replies, attachments, noise, crashes.

Time stands at Monday 2026-11-23 09:00 in Shanghai (the `hy` personas), so the first ticket of the day is
HY-20261123-0001, the number the recorded replies carry in their subjects.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from guanjia.intake.email import services
from guanjia.intake.email.models import MailAttachment, MailFailure, MailLink
from guanjia.intake.email.services import MAX_ATTEMPTS, mailbox_poll
from guanjia.intake.email.tests import fixture_mail
from guanjia.notify.models import Notification
from guanjia.tickets.models import Event, Photo, Ticket
from guanjia.tickets.services import ticket_create, ticket_dispatch


def poll(mailroom):
    report = mailbox_poll(mailbox=mailroom.mailbox)
    mailroom.mailbox.refresh_from_db()
    return report


def test_a_complaint_by_mail_becomes_a_ticket_for_the_environment_department(mailroom, hy):
    uid = mailroom.deliver("owner_complaint.eml")

    report = poll(mailroom)

    ticket = Ticket.objects.get()
    assert report.created == [ticket.number] == ["HY-20261123-0001"]
    assert (ticket.channel, ticket.request_type, ticket.category) == ("email", "complaint", "sanitation")
    assert ticket.department == hy.depts["environment"]
    assert ticket.contact_name == "陈静"
    assert ticket.contact_phone == "+8613812345678"  # found in the mail, so the callback clerk can phone her
    assert ticket.requester is None  # residents have no email address on file
    assert ticket.description.startswith("投诉：3栋楼下垃圾桶三天没人清运，臭气熏天\n\n物业客服你好")
    assert "陈静 <chenjing1978@163.example>" in ticket.description
    link = MailLink.objects.get()
    assert (link.ticket, link.direction, link.message_id) == (ticket, "in", "202611230841071138423@163.example")
    assert link.address == "chenjing1978@163.example"
    assert mailroom.mailbox.last_uid == uid
    assert "\\Seen" in mailroom.flags(uid)


def test_a_leak_report_keeps_the_photo_and_the_pdf(mailroom, hy):
    mailroom.deliver("leak_with_attachments.eml")

    poll(mailroom)

    ticket = Ticket.objects.get()
    assert ticket.department == hy.depts["engineering"]
    photo = Photo.objects.get(ticket=ticket)
    assert photo.stage == "reported" and photo.image.name.endswith(".jpg")
    assert photo.image.read()[:2] == b"\xff\xd8"  # re-encoded JPEG, EXIF gone
    pdf = MailAttachment.objects.get(ticket=ticket)
    assert (pdf.filename, pdf.content_type, pdf.size) == ("维修报价单.pdf", "application/pdf", 218)
    assert pdf.file.read().startswith(b"%PDF-1.4")
    assert pdf.message_id == "6f1c2a3b.4d5e.18c0f1a2b3c.Coremail.zhoujg@126.example"
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["created", "photo", "note"]
    assert ticket.events.get(kind="note").reason == "邮件附件：维修报价单.pdf"


def test_her_follow_up_threads_by_in_reply_to_onto_the_same_ticket_and_tells_its_handler(mailroom, hy):
    mailroom.deliver("owner_complaint.eml")
    poll(mailroom)
    ticket = Ticket.objects.get()
    ticket_dispatch(
        ticket=ticket, assignee=hy.world.wang, user=hy.sup.user, version=ticket.version, channel="front_desk"
    )
    reply_uid = mailroom.deliver("owner_reply.eml")

    report = poll(mailroom)

    assert report.followed_up == [ticket.number] and report.created == []
    assert Ticket.objects.count() == 1
    note = ticket.events.filter(kind=Event.Kind.NOTE).get()
    assert note.channel == "email"
    assert "补充一下：今天早上还是没人来收" in note.reason
    assert "王堃师傅" in note.reason  # GBK text in a mail labelled GB2312
    assert "物业客服你好" not in note.reason and "写道" not in note.reason  # the quote is cut
    assert MailLink.objects.filter(ticket=ticket, direction="in").count() == 2
    told = Notification.objects.get(template="mail_follow_up")
    assert told.recipient == hy.world.wang.user and told.ticket == ticket and "补充一下" in told.body
    assert mailroom.mailbox.last_uid == reply_uid


def test_a_reply_with_only_the_ticket_number_in_the_subject_threads_onto_that_ticket(mailroom, hy):
    mailroom.deliver("owner_complaint.eml")
    poll(mailroom)
    mailroom.deliver("owner_reply_by_number.eml")  # from another address, no In-Reply-To, HTML only

    report = poll(mailroom)

    ticket = Ticket.objects.get()
    assert report.followed_up == ["HY-20261123-0001"]
    note = ticket.events.get(kind=Event.Kind.NOTE)
    assert "垃圾桶已经清运干净了，谢谢！不过楼道还是没有拖。" in note.reason
    assert "陈女士您好" not in note.reason


def test_a_ticket_number_of_another_estate_opens_a_new_ticket_instead(mailroom, hy):
    hq = ticket_create(
        estate=hy.world.tower,
        request_type="repair",
        category="elevator",
        description="T1电梯异响",
        channel="front_desk",
    )
    assert hq.number == "HQ-20261123-0001"
    subject = b"Subject: =?utf-8?b?UmU6IFtIWS0yMDI2MTEyMy0wMDAxXSDlnoPlnL7mobY=?="  # Re: [HY-20261123-0001] 垃圾桶
    mailroom.deliver(fixture_mail("owner_reply_by_number.eml").replace(subject, b"Subject: Re: [HQ-20261123-0001] x"))

    report = poll(mailroom)

    assert report.followed_up == [] and len(report.created) == 1
    assert not hq.events.filter(kind=Event.Kind.NOTE).exists()


@pytest.mark.parametrize(
    ("name", "reason"),
    [("auto_reply.eml", "auto_reply"), ("bounce.eml", "bounce"), ("own_mail_loop.eml", "loop")],
)
def test_auto_replies_bounces_and_our_own_mail_are_ignored_but_marked_seen(mailroom, hy, name, reason):
    mailroom.deliver("owner_complaint.eml")
    poll(mailroom)
    events_before = Event.objects.count()
    uid = mailroom.deliver(name)

    report = poll(mailroom)

    assert report.ignored == {uid: reason}
    assert Ticket.objects.count() == 1 and Event.objects.count() == events_before
    assert MailLink.objects.count() == 1
    assert mailroom.mailbox.last_uid == uid
    assert "\\Seen" in mailroom.flags(uid)


def test_polling_twice_or_receiving_a_mail_twice_takes_it_once(mailroom, hy):
    mailroom.deliver("owner_complaint.eml")
    copy_uid = mailroom.deliver("owner_complaint.eml")  # the same mail again (Cc and To, or a resend)

    first = poll(mailroom)
    second = poll(mailroom)

    assert len(first.created) == 1 and first.duplicates == [copy_uid]
    assert (second.created, second.followed_up, second.ignored, second.duplicates) == ([], [], {}, [])
    assert Ticket.objects.count() == 1
    assert mailroom.mailbox.last_uid == copy_uid


def test_a_mail_that_raises_is_retried_next_poll_and_the_mails_after_it_still_go_through(mailroom, hy, monkeypatch):
    broken_uid = mailroom.deliver("owner_complaint.eml")
    later_uid = mailroom.deliver("leak_with_attachments.eml")
    real_open = services._ticket_open

    def fails_on_the_complaint(**kw):
        if "垃圾桶" in kw["subject"]:
            raise RuntimeError("database went away")
        return real_open(**kw)

    monkeypatch.setattr(services, "_ticket_open", fails_on_the_complaint)
    report = poll(mailroom)

    assert list(report.failed) == [broken_uid] and "database went away" in report.failed[broken_uid]
    assert len(report.created) == 1  # the leak
    assert mailroom.mailbox.last_uid == 0  # not past the failed mail
    assert "\\Seen" not in mailroom.flags(broken_uid) and "\\Seen" in mailroom.flags(later_uid)
    assert MailFailure.objects.get().attempts == 1

    monkeypatch.setattr(services, "_ticket_open", real_open)
    report = poll(mailroom)

    assert len(report.created) == 1 and report.duplicates == [later_uid]
    assert Ticket.objects.count() == 2
    assert mailroom.mailbox.last_uid == later_uid
    assert not MailFailure.objects.exists()


def test_a_mail_that_keeps_raising_is_given_up_and_left_unread(mailroom, hy, monkeypatch):
    uid = mailroom.deliver("owner_complaint.eml")

    def broken(**kw):
        raise ValueError("cannot handle this mail")

    monkeypatch.setattr(services, "_ticket_open", broken)
    for _poll in range(MAX_ATTEMPTS):
        assert list(poll(mailroom).failed) == [uid]
    report = poll(mailroom)

    assert report.given_up == [uid] and report.failed == {}
    assert mailroom.mailbox.last_uid == uid
    assert "\\Seen" not in mailroom.flags(uid)  # a person finds it unread in the mailbox
    assert MailFailure.objects.get().attempts == MAX_ATTEMPTS


def test_mail_poll_command_polls_every_active_mailbox(mailroom, hy):
    mailroom.deliver("owner_complaint.eml")
    out = StringIO()

    call_command("mail_poll", stdout=out)

    assert "1 new" in out.getvalue()
    assert Ticket.objects.count() == 1
