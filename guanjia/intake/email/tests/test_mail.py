"""Reading a mail: who is a person, what a reply newly says, what was attached. No servers, no database."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest

from guanjia.intake.email import mail
from guanjia.intake.email.tests import fixture_mail

US = mail.Us(addresses=frozenset({"kefu@heyue-wuye.example"}), msgid_domain="guanjia.heyue-wuye.example")
PERSON = """From: =?utf-8?b?6ZmI6Z2Z?= <chenjing1978@163.example>
To: kefu@heyue-wuye.example
Subject: {subject}
Message-ID: <abc@163.example>
{extra}
hello
"""


def parse(raw: bytes | str):
    if isinstance(raw, str):
        raw = raw.replace("\n", "\r\n").encode()
    return BytesParser(policy=policy.default).parsebytes(raw)


def person(subject="3栋电梯异响", extra=""):
    return parse(PERSON.format(subject=subject, extra=extra + "\n" if extra else ""))


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("owner_complaint.eml", ""),
        ("owner_reply.eml", ""),
        ("owner_reply_by_number.eml", ""),
        ("leak_with_attachments.eml", ""),
        ("auto_reply.eml", "auto_reply"),
        ("bounce.eml", "bounce"),
        ("own_mail_loop.eml", "loop"),
    ],
)
def test_the_recorded_mails_are_told_apart(name, reason):
    assert mail.ignore_reason(parse(fixture_mail(name)), us=US) == reason


@pytest.mark.parametrize(
    ("extra", "subject", "reason"),
    [
        ("Auto-Submitted: auto-generated", "3栋电梯异响", "auto_reply"),
        ("Auto-Submitted: no", "3栋电梯异响", ""),
        ("X-Autoreply: yes", "3栋电梯异响", "auto_reply"),
        ("X-Autorespond: 1", "3栋电梯异响", "auto_reply"),
        ("Precedence: bulk", "3栋电梯异响", "auto_reply"),
        ("Precedence: junk", "3栋电梯异响", "auto_reply"),
        ("Precedence: list", "3栋电梯异响", "auto_reply"),
        ("", "=?utf-8?b?6Ieq5Yqo5Zue5aSN77ya5oiR5Zyo5LyR5YGH?=", "auto_reply"),  # 自动回复：我在休假
        ("", "Automatic reply: 3栋电梯异响", "auto_reply"),
        ("", "Out of Office: back on Monday", "auto_reply"),
        ("", "Auto Reply", "auto_reply"),
        ("Return-Path: <>", "3栋电梯异响", "bounce"),
        ("X-Failed-Recipients: chen@163.example", "3栋电梯异响", "bounce"),
        ("X-Guanjia-Ticket: HY-20261123-0001", "3栋电梯异响", "loop"),
        ("Return-Path: <chenjing1978@163.example>", "3栋电梯异响", ""),
    ],
)
def test_automatic_mail_is_recognised_by_its_headers_and_subject(extra, subject, reason):
    assert mail.ignore_reason(person(subject=subject, extra=extra), us=US) == reason


def test_mail_from_postmaster_or_with_our_message_id_domain_is_not_a_person():
    postmaster = parse("From: postmaster@163.example\nSubject: Delivery failure\n\nx\n")
    ours = parse("From: someone@else.example\nMessage-ID: <1.2.3@guanjia.heyue-wuye.example>\nSubject: x\n\nx\n")
    assert mail.ignore_reason(postmaster, us=US) == "bounce"
    assert mail.ignore_reason(ours, us=US) == "loop"


def test_a_gmail_reply_keeps_only_what_the_person_wrote():
    text = (
        "好的，谢谢，下午在家。\n\nOn Mon, Nov 23, 2026 at 10:02 AM 和悦家园 <kefu@heyue-wuye.example>\nwrote:\n\n"
        "> 陈女士您好，师傅下午到。\n"
    )
    assert mail.reply_text(text) == "好的，谢谢，下午在家。"


def test_outlook_and_qq_mail_quotes_are_cut_too():
    outlook = "已经修好了。\n\n________________________________\n发件人: 和悦家园 <kefu@heyue-wuye.example>\n原文"
    qq = '收到\n\n------------------ 原始邮件 ------------------\n发件人: "和悦家园"\n原文'
    assert mail.reply_text(outlook) == "已经修好了。"
    assert mail.reply_text(qq) == "收到"


def test_html_becomes_text_without_styles_and_a_reply_without_its_blockquote():
    html = (
        "<html><head><style>p{color:red}</style></head><body><p>楼道灯不亮</p><p>3栋&nbsp;2单元</p>"
        "<blockquote>旧邮件</blockquote></body></html>"
    )
    assert mail.html_text(html) == "楼道灯不亮\n\n3栋 2单元\n\n旧邮件"
    assert "旧邮件" not in mail.html_text(html, drop_quotes=True)


def test_a_gb2312_label_on_gbk_text_still_decodes():
    msg = parse(fixture_mail("owner_reply.eml"))
    assert "王堃师傅" in mail.body_text(msg, reply=True)


@pytest.mark.parametrize(
    ("subject", "number"),
    [
        ("Re: [HY-20261123-0001] 垃圾桶", "HY-20261123-0001"),
        ("回复：工单HY-20261123-0042进度", "HY-20261123-0042"),
        ("关于 hy-20261123-0007 的补充", "HY-20261123-0007"),
        ("电话 138-20261123-00011", ""),
        ("3栋电梯异响", ""),
    ],
)
def test_the_ticket_number_is_found_in_a_subject(subject, number):
    assert mail.ticket_number_in(subject) == number


def test_reply_prefixes_and_ticket_tags_are_dropped_from_the_subject():
    assert mail.subject_base("回复：Re: [HY-20261123-0001] 投诉：垃圾桶") == "投诉：垃圾桶"
    assert mail.subject_base("Fwd: 转发：3栋漏水") == "3栋漏水"


def test_attachments_keep_their_chinese_names_and_types():
    found = list(mail.attachments(parse(fixture_mail("leak_with_attachments.eml"))))
    assert [(a.filename, a.content_type) for a in found] == [
        ("渗水照片.jpg", "image/jpeg"),
        ("维修报价单.pdf", "application/pdf"),
    ]
    assert found[1].data.startswith(b"%PDF-1.4")


def test_a_mail_without_message_id_gets_a_stable_one():
    raw = b"From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n"
    assert mail.message_id_of(parse(raw), raw) == mail.message_id_of(parse(raw), raw)
    assert mail.message_id_of(parse(raw), raw).endswith("@no-message-id.invalid")
