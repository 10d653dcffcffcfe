"""The email channel: poll the estate's mailbox over IMAP, turn mail into tickets or follow-ups, reply over SMTP.

- A new mail opens a ticket through `request_intake` (triage, dedupe, grouping like every channel).
- A reply — In-Reply-To/References naming a mail we know, or the ticket number in the subject — becomes a
  note on that ticket with the quoted part cut off.
- Auto-replies, bounces and our own mail coming back (loops) are marked seen and otherwise ignored.
- Attachments are kept: images as the ticket's reported photos, everything else as MailAttachment.
- Each mail is handled in its own transaction, and `last_uid` only moves past mails that were handled, so
  a crash or a mail that raises loses nothing; the same Message-ID twice never does anything twice.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import smtplib
import ssl
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.intake.email import mail
from guanjia.intake.email.models import MailAttachment, Mailbox, MailFailure, MailLink
from guanjia.intake.services import request_intake
from guanjia.notify.services import notification_add
from guanjia.org.selectors import estate_ids_for_user, staff_for_user
from guanjia.people.pii import normalise_phone
from guanjia.tickets.models import Channel, Event, Photo, State, Ticket
from guanjia.tickets.services import ticket_photo_add
from guanjia.tickets.services.core import event_record

logger = logging.getLogger(__name__)

NETWORK_TIMEOUT = 30  # seconds; a hung mail server must not hang the worker
MAX_ATTEMPTS = 3  # polls that retry a mail that raises, before it is left unread for a person
REFERENCES_KEPT = 20


@dataclass
class PollReport:
    """What one poll did. `failed` mails are retried next poll; `given_up` ones are left unread in the mailbox."""

    mailbox_id: int
    created: list[str] = field(default_factory=list)  # ticket numbers
    followed_up: list[str] = field(default_factory=list)  # ticket numbers
    ignored: dict[int, str] = field(default_factory=dict)  # uid → "auto_reply" | "bounce" | "loop"
    duplicates: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # uid → error
    given_up: list[int] = field(default_factory=list)
    last_uid: int = 0

    def __str__(self) -> str:
        return (
            f"mailbox {self.mailbox_id}: {len(self.created)} new, {len(self.followed_up)} follow-ups, "
            f"{len(self.ignored)} ignored, {len(self.duplicates)} duplicates, {len(self.failed)} failed, "
            f"{len(self.given_up)} given up; last UID {self.last_uid}"
        )


@dataclass(frozen=True)
class _Outcome:
    kind: str  # "created" | "follow_up" | "ignored" | "duplicate"
    detail: str = ""  # ticket number or ignore reason


# --- Polling ------------------------------------------------------------------------------------------


def mailbox_poll(*, mailbox: Mailbox, now: datetime | None = None) -> PollReport:
    """Take in every mail above `last_uid`, each in its own transaction.

    A mail that raises is recorded (MailFailure), reported and retried by the next polls; later mails are
    still handled (Message-IDs keep them from being handled twice when the UID range is read again). After
    MAX_ATTEMPTS the mail is given up and stays unread for a person. Network and IMAP errors propagate;
    what was handled before them stays handled.
    """
    report = PollReport(mailbox_id=mailbox.pk, last_uid=mailbox.last_uid)
    with _imap_session(mailbox) as imap:
        validity = _select(imap, mailbox)
        failures = {f.uid: f for f in MailFailure.objects.filter(mailbox=mailbox, uid_validity=validity)}
        contiguous = True  # every mail up to here is done, so last_uid may follow
        for uid in _uids_after(imap, mailbox.last_uid):
            failure = failures.get(uid)
            if failure is not None and failure.attempts >= MAX_ATTEMPTS:
                report.given_up.append(uid)
                if contiguous:
                    _advance(mailbox, uid)
                continue
            raw = _fetch(imap, uid)
            if not raw:  # expunged by another client between SEARCH and FETCH
                if contiguous:
                    _advance(mailbox, uid)
                continue
            try:
                with transaction.atomic():
                    outcome = _mail_take(mailbox=mailbox, raw=raw, now=now or timezone.now())
                    if contiguous:
                        _advance(mailbox, uid)
                    if failure is not None:
                        failure.delete()
            except Exception as exc:  # one bad mail must not block the mailbox
                logger.exception("mailbox %s: mail UID %s failed", mailbox.pk, uid)
                contiguous = False
                _failure_record(mailbox=mailbox, validity=validity, uid=uid, error=exc)
                report.failed[uid] = f"{type(exc).__name__}: {exc}"
                continue
            _report(report, uid, outcome)
            imap.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now())
    mailbox.refresh_from_db(fields=["last_uid", "uid_validity", "last_polled_at"])
    report.last_uid = mailbox.last_uid
    return report


@contextlib.contextmanager
def _imap_session(mailbox: Mailbox) -> Iterator[imaplib.IMAP4]:
    if mailbox.imap_ssl:
        imap = imaplib.IMAP4_SSL(
            mailbox.imap_host, mailbox.imap_port, ssl_context=ssl.create_default_context(), timeout=NETWORK_TIMEOUT
        )
    else:
        imap = imaplib.IMAP4(mailbox.imap_host, mailbox.imap_port, timeout=NETWORK_TIMEOUT)
        if "STARTTLS" in imap.capabilities:  # never send the password in the clear when we need not
            imap.starttls(ssl_context=ssl.create_default_context())
    try:
        imap.login(mailbox.imap_username, mailbox.imap_password)
        yield imap
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()


def _select(imap: imaplib.IMAP4, mailbox: Mailbox) -> int:
    """Open the folder; if its UIDVALIDITY changed, old UIDs mean nothing and polling starts again at 1."""
    folder = mailbox.folder if mailbox.folder.isalnum() else '"' + mailbox.folder.replace('"', '\\"') + '"'
    typ, data = imap.select(folder)
    if typ != "OK":
        raise imaplib.IMAP4.error(f"SELECT {mailbox.folder}: {data!r}")
    validity = int(imap.response("UIDVALIDITY")[1][0])
    if validity != mailbox.uid_validity:
        Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=validity, last_uid=0)
        mailbox.uid_validity, mailbox.last_uid = validity, 0
    return validity


def _uids_after(imap: imaplib.IMAP4, last_uid: int) -> list[int]:
    typ, data = imap.uid("SEARCH", None, f"UID {last_uid + 1}:*")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"UID SEARCH: {data!r}")
    # "n:*" always matches the newest mail, even when its UID is below n.
    return sorted(uid for uid in (int(x) for x in (data[0] or b"").split()) if uid > last_uid)


def _fetch(imap: imaplib.IMAP4, uid: int) -> bytes:
    typ, data = imap.uid("FETCH", str(uid), "(BODY.PEEK[])")  # PEEK: \Seen is set only once handled
    if typ != "OK":
        raise imaplib.IMAP4.error(f"UID FETCH {uid}: {data!r}")
    return next((item[1] for item in data if isinstance(item, tuple)), b"")


def _advance(mailbox: Mailbox, uid: int) -> None:
    # Never backwards, even if two pollers overlap.
    Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=uid).update(last_uid=uid)


def _failure_record(*, mailbox: Mailbox, validity: int, uid: int, error: Exception) -> None:
    now = timezone.now()
    failure, _created = MailFailure.objects.get_or_create(
        mailbox=mailbox, uid_validity=validity, uid=uid, defaults={"last_attempt_at": now}
    )
    MailFailure.objects.filter(pk=failure.pk).update(
        attempts=F("attempts") + 1, error=f"{type(error).__name__}: {error}"[:2000], last_attempt_at=now
    )


def _report(report: PollReport, uid: int, outcome: _Outcome) -> None:
    if outcome.kind == "created":
        report.created.append(outcome.detail)
    elif outcome.kind == "follow_up":
        report.followed_up.append(outcome.detail)
    elif outcome.kind == "ignored":
        report.ignored[uid] = outcome.detail
    else:
        report.duplicates.append(uid)


# --- One mail -----------------------------------------------------------------------------------------


def _mail_take(*, mailbox: Mailbox, raw: bytes, now: datetime) -> _Outcome:
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    message_id = mail.message_id_of(msg, raw)
    us = mail.Us(
        addresses=frozenset(a.lower() for a in (mailbox.from_address, mailbox.imap_username) if "@" in a),
        msgid_domain=mailbox.msgid_domain,
    )
    reason = mail.ignore_reason(msg, us=us)
    if reason:
        logger.info("mailbox %s: ignored %s <%s>", mailbox.pk, reason, message_id)
        return _Outcome("ignored", reason)
    if MailLink.objects.filter(estate_id=mailbox.estate_id, message_id=message_id).exists():
        return _Outcome("duplicate")
    name, address = mail.sender(msg)
    subject = mail.header(msg, "Subject")
    try:
        with transaction.atomic():
            ticket = _thread_ticket(mailbox=mailbox, msg=msg, subject=subject)
            if ticket is not None:
                _follow_up(ticket=ticket, msg=msg, name=name, address=address, message_id=message_id, now=now)
                kind = "follow_up"
            else:
                ticket = _ticket_open(mailbox=mailbox, msg=msg, subject=subject, name=name, address=address, now=now)
                kind = "created"
            _attachments_keep(ticket=ticket, msg=msg, message_id=message_id, now=now)
            MailLink.objects.create(
                estate_id=mailbox.estate_id,
                ticket=ticket,
                mailbox=mailbox,
                message_id=message_id,
                direction=MailLink.Direction.IN,
                address=mail.reply_address(msg)[:320],
                subject=subject[:500],
                created_at=now,
            )
    except IntegrityError:
        # Another poller took the same Message-ID first; its ticket stands, ours is rolled back.
        if MailLink.objects.filter(estate_id=mailbox.estate_id, message_id=message_id).exists():
            return _Outcome("duplicate")
        raise
    return _Outcome(kind, ticket.number)


def _thread_ticket(*, mailbox: Mailbox, msg: EmailMessage, subject: str) -> Ticket | None:
    """The ticket a reply belongs to: by the mails it answers, else by the ticket number in its subject.

    Only this estate's tickets; a reply to a merged ticket goes to the ticket it was merged into.
    """
    referenced = mail.message_ids(mail.header(msg, "In-Reply-To")) + mail.message_ids(mail.header(msg, "References"))
    ticket = None
    if referenced:
        link = (
            MailLink.objects.filter(estate_id=mailbox.estate_id, message_id__in=referenced)
            .select_related("ticket")
            .order_by("-created_at", "-id")
            .first()
        )
        ticket = link.ticket if link else None
    if ticket is None and (number := mail.ticket_number_in(subject)):
        ticket = Ticket.objects.filter(estate_id=mailbox.estate_id, number=number).first()
    for _hop in range(5):
        if ticket is None or ticket.state != State.MERGED or ticket.merged_into_id is None:
            break
        ticket = ticket.merged_into
    return ticket


def _follow_up(*, ticket: Ticket, msg: EmailMessage, name: str, address: str, message_id: str, now: datetime) -> None:
    """A note on the ticket; whoever handles it (or first took it) hears of it in the app."""
    text = mail.body_text(msg, reply=True) or _("（邮件回复无正文）")
    event_record(
        ticket=ticket,
        kind=Event.Kind.NOTE,
        channel=Channel.EMAIL,
        at=now,
        reason=_("业主邮件回复（%(who)s）：%(text)s") % {"who": mail.display(name, address), "text": text[:10000]},
        detail={"follow_up": True, "mail": message_id},
    )
    handler = ticket.assignee or ticket.first_contact
    if handler is not None:
        notification_add(
            estate=ticket.estate,
            recipient=handler.user,
            template="mail_follow_up",
            ticket=ticket,
            body=_("工单 %(number)s 收到业主邮件回复：%(text)s") % {"number": ticket.number, "text": text[:200]},
        )


def _ticket_open(
    *, mailbox: Mailbox, msg: EmailMessage, subject: str, name: str, address: str, now: datetime
) -> Ticket:
    body = mail.body_text(msg)
    text = "\n\n".join(part for part in (subject, body) if part) or _("（邮件无主题、无正文，见附件）")
    text += "\n\n" + _("——来自邮件：%(who)s") % {"who": mail.display(name, address)}
    # Residents have no email address on file: the sender stays a contact, and a mobile number in the
    # mail lets the callback clerk phone them.
    try:
        phone = normalise_phone(mail.mobile_in(body)) if mail.mobile_in(body) else ""
    except ValidationError:
        phone = ""
    outcome = request_intake(
        estate=mailbox.estate,
        text=text,
        channel=Channel.EMAIL,
        contact_name=(name or address)[:50],
        contact_phone=phone,
        now=now,
    )
    return outcome.ticket


def _attachments_keep(*, ticket: Ticket, msg: EmailMessage, message_id: str, now: datetime) -> None:
    """Images become the ticket's reported photos; anything else — or an image we cannot read — a MailAttachment."""
    others: list[MailAttachment] = []
    for attachment in mail.attachments(msg):
        if attachment.is_image:
            try:
                _photo_keep(ticket=ticket, data=attachment.data, now=now)
                continue
            except ValidationError:
                pass  # HEIC, GIF, too large…: keep the file as it came
        kept = MailAttachment(
            estate_id=ticket.estate_id,
            ticket=ticket,
            message_id=message_id,
            filename=attachment.filename,
            content_type=attachment.content_type[:255],
            size=len(attachment.data),
            received_at=now,
        )
        suffix = PurePath(attachment.filename).suffix.lower()
        suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 10 else ".bin"
        kept.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(attachment.data), save=False)
        kept.save()
        others.append(kept)
    if others:
        event_record(
            ticket=ticket,
            kind=Event.Kind.NOTE,
            channel=Channel.EMAIL,
            at=now,
            reason=_("邮件附件：%(names)s") % {"names": "、".join(a.filename for a in others)},
            detail={"attachments": [a.pk for a in others], "mail": message_id},
        )


def _photo_keep(*, ticket: Ticket, data: bytes, now: datetime) -> Photo:
    return ticket_photo_add(
        ticket=ticket, user=None, stage=Photo.Stage.REPORTED, upload=data, channel=Channel.EMAIL, now=now
    )


# --- Replying -----------------------------------------------------------------------------------------


def staff_reply_send(*, ticket: Ticket, user, body: str, now: datetime | None = None) -> MailLink:
    """Answer the person who mailed in, from the mailbox their mail came to, threaded onto their mail.

    The subject carries the ticket number ("Re: [HY-20261123-0001] …") so a reply threads back even from a
    mail program that drops In-Reply-To. Raises PermissionDenied for anyone but the estate's staff, and
    ValidationError for an empty body or a ticket that did not come in by mail. SMTP errors propagate and
    record nothing.
    """
    staff = staff_for_user(user)
    if staff is None or ticket.estate_id not in estate_ids_for_user(user):
        raise PermissionDenied(_("无权回复此工单"))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("回复内容不能为空")})
    links = list(MailLink.objects.filter(ticket=ticket).select_related("mailbox").order_by("created_at", "id"))
    inbound = [link for link in links if link.direction == MailLink.Direction.IN and link.address]
    if not inbound:
        raise ValidationError(_("此工单没有来自邮件的报事，无法邮件回复"))
    answered = inbound[-1]
    mailbox = answered.mailbox or Mailbox.objects.filter(estate_id=ticket.estate_id, active=True).first()
    if mailbox is None:
        raise ValidationError(_("项目没有可用的客服邮箱"))
    now = now or timezone.now()

    msg = EmailMessage(policy=policy.SMTP)
    local, _at, domain = mailbox.from_address.rpartition("@")
    msg["From"] = Address(display_name=ticket.estate.name, username=local, domain=domain)
    msg["To"] = answered.address
    msg["Subject"] = reply_subject(number=ticket.number, subject=inbound[0].subject)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=mailbox.msgid_domain)
    msg["In-Reply-To"] = f"<{answered.message_id}>"
    msg["References"] = " ".join(f"<{link.message_id}>" for link in links[-REFERENCES_KEPT:])
    msg["X-Guanjia-Ticket"] = ticket.number
    msg.set_content(body)
    _smtp_send(mailbox, msg)

    message_id = mail.message_ids(msg["Message-ID"])[0]
    with transaction.atomic():
        link = MailLink.objects.create(
            estate_id=ticket.estate_id,
            ticket=ticket,
            mailbox=mailbox,
            message_id=message_id,
            direction=MailLink.Direction.OUT,
            address=answered.address,
            subject=str(msg["Subject"])[:500],
            created_at=now,
        )
        event_record(
            ticket=ticket,
            kind=Event.Kind.NOTE,
            user=user,
            channel=Channel.EMAIL,
            at=now,
            reason=_("邮件回复业主（%(to)s）：%(body)s") % {"to": answered.address, "body": body},
            detail={"mail": message_id, "to": answered.address},
        )
    return link


def reply_subject(*, number: str, subject: str) -> str:
    return f"Re: [{number}] {mail.subject_base(subject) or _('您的报事')}"


def _smtp_send(mailbox: Mailbox, msg: EmailMessage) -> None:
    context = ssl.create_default_context()
    if mailbox.smtp_ssl:
        smtp = smtplib.SMTP_SSL(mailbox.smtp_host, mailbox.smtp_port, timeout=NETWORK_TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(mailbox.smtp_host, mailbox.smtp_port, timeout=NETWORK_TIMEOUT)
    with smtp:
        if mailbox.smtp_starttls and not mailbox.smtp_ssl:
            smtp.starttls(context=context)
        if mailbox.smtp_username:
            smtp.login(mailbox.smtp_username, mailbox.smtp_password)
        smtp.send_message(msg)
