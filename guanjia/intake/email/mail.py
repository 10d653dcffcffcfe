"""Reading one mail: who sent it, is it a person at all, which mails it answers, its new text, its attachments.

Pure functions over `email.message.EmailMessage` (parsed with `email.policy.default`); no database.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from html.parser import HTMLParser

# Subjects that mail programs put on their own automatic answers. Searched anywhere in the subject.
AUTO_SUBJECT = re.compile(
    r"自动回复|自动答复|自動回覆|自動回復|auto[\s_-]?reply|auto[\s_-]?response|automatic reply|autoreply"
    r"|out of (the )?office|不在办公室",
    re.IGNORECASE,
)
BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
DAEMON_SENDERS = frozenset({"mailer-daemon", "postmaster"})
# HY-20261123-0001; not glued to letters or digits (a CJK character before it is fine).
TICKET_NUMBER = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]{0,9}-\d{8}-\d{4,6}(?!\d)")
MSGID = re.compile(r"<([^<>\s]+)>")
# Where a reply's quoted part begins: attribution lines of Gmail, Outlook, QQ Mail, Foxmail, Apple Mail.
QUOTE_START = re.compile(
    r"^\s*(?:"
    r"On\s.{0,300}\swrote:"
    r"|在\s?.{0,200}写道[:：]"
    r"|-{2,}\s*(?:Original Message|原始邮件|Forwarded message|转发邮件)\s*-{2,}"
    r"|_{10,}"
    r"|(?:From|发件人)\s*[:：].{1,300}"
    r")\s*$",
    re.IGNORECASE,
)
REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|sv|回复|答复|回覆|转发)\s*[:：]\s*|\[[^\]]*\]\s*)+", re.IGNORECASE)
MOBILE = re.compile(r"(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
# Mail labelled GB2312 or GBK routinely holds characters only GB18030 (their superset) decodes.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def header(msg: EmailMessage, name: str) -> str:
    """A header as text; a header the parser chokes on falls back to its raw value."""
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError):
        value = next((raw for key, raw in msg.raw_items() if key.lower() == name.lower()), None)
    return "" if value is None else str(value).strip()


def message_ids(value: str) -> list[str]:
    return MSGID.findall(value or "")


def message_id_of(msg: EmailMessage, raw: bytes) -> str:
    """The mail's Message-ID without brackets; a mail without one gets a stable id derived from its bytes."""
    found = message_ids(header(msg, "Message-ID"))
    if found:
        return found[0][:500]
    return f"sha256.{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid"


def sender(msg: EmailMessage) -> tuple[str, str]:
    """(display name, address) of From."""
    pairs = getaddresses([header(msg, "From")])
    name, address = pairs[0] if pairs else ("", "")
    return name.strip(), address.strip()


def display(name: str, address: str) -> str:
    """For people to read: 陈静 <chen@163.example> (formataddr would MIME-encode the name)."""
    return f"{name} <{address}>" if name else address


def reply_address(msg: EmailMessage) -> str:
    pairs = [address for _name, address in getaddresses([header(msg, "Reply-To")]) if "@" in address]
    return pairs[0] if pairs else sender(msg)[1]


@dataclass(frozen=True)
class Us:
    """What identifies mail we sent ourselves."""

    addresses: frozenset[str]
    msgid_domain: str


def ignore_reason(msg: EmailMessage, *, us: Us) -> str:
    """Why a mail is not from a person writing to us: "loop", "bounce", "auto_reply" — or "" for a person.

    Edge cases: "Auto-Submitted: no" is a person; a read receipt (multipart/report of any kind) counts
    as a bounce; an empty Return-Path (<>) is what MTAs put on every delivery report.
    """
    address = sender(msg)[1].lower()
    own_ids = message_ids(header(msg, "Message-ID"))
    if (
        address in us.addresses
        or header(msg, "X-Guanjia-Ticket")
        or any(mid.rpartition("@")[2].lower() == us.msgid_domain for mid in own_ids)
    ):
        return "loop"
    return_path = header(msg, "Return-Path") if "Return-Path" in msg else None
    if (
        msg.get_content_type() == "multipart/report"
        or address.partition("@")[0] in DAEMON_SENDERS
        or return_path in ("", "<>")
        or "X-Failed-Recipients" in msg
    ):
        return "bounce"
    auto_submitted = header(msg, "Auto-Submitted").lower()
    precedence = {header(msg, "Precedence").lower(), header(msg, "X-Precedence").lower()}
    if (
        (auto_submitted and auto_submitted != "no")
        or "X-Autoreply" in msg
        or "X-Autorespond" in msg
        or precedence & BULK_PRECEDENCE
        or AUTO_SUBJECT.search(header(msg, "Subject"))
    ):
        return "auto_reply"
    return ""


def decoded_text(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "utf-8").lower()
    try:
        return payload.decode(CHARSET_ALIASES.get(charset, charset), errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", errors="replace")


class _HtmlText(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr"})
    HIDDEN = frozenset({"style", "script", "head", "title"})

    def __init__(self, *, drop_quotes: bool):
        super().__init__(convert_charrefs=True)
        self.drop_quotes = drop_quotes
        self.parts: list[str] = []
        self.hidden = 0
        self.quoted = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "blockquote" and self.drop_quotes:
            self.quoted += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "blockquote" and self.drop_quotes:
            self.quoted = max(0, self.quoted - 1)
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden and not self.quoted:
            self.parts.append(data)


def html_text(html: str, *, drop_quotes: bool = False) -> str:
    parser = _HtmlText(drop_quotes=drop_quotes)
    parser.feed(html)
    parser.close()
    return tidy("".join(parser.parts))


def tidy(text: str) -> str:
    lines = [line.rstrip().replace("\xa0", " ") for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def body_parts(msg: EmailMessage) -> list[EmailMessage]:
    """The text parts that are the mail's body (both halves of a plain/HTML alternative)."""
    found = [msg.get_body(preferencelist=(kind,)) for kind in ("plain", "html")]
    return [part for part in found if part is not None]


def body_text(msg: EmailMessage, *, reply: bool = False) -> str:
    """The body as plain text (HTML converted). For a reply, only what the person wrote: the quote is cut."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = decoded_text(part)
    text = html_text(text, drop_quotes=reply) if part.get_content_type() == "text/html" else tidy(text)
    return reply_text(text) if reply else text


def reply_text(text: str) -> str:
    """Drop the quoted mail under a reply: everything from an attribution line on, "> " lines, the signature."""
    lines = text.split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        two = line + " " + (lines[i + 1] if i + 1 < len(lines) else "")  # Gmail wraps "On … <a@b>\nwrote:"
        if QUOTE_START.match(line) or (line.strip() and QUOTE_START.match(two)) or line.rstrip() == "--":
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return tidy("\n".join(kept))


def subject_base(subject: str) -> str:
    """The subject without reply prefixes and tags: "Re: 回复：[HY-20261123-0001] 厨房漏水" → "厨房漏水"."""
    return REPLY_PREFIX.sub("", subject or "").strip()


def ticket_number_in(subject: str) -> str:
    match = TICKET_NUMBER.search(subject or "")
    return match.group(0).upper() if match else ""


def mobile_in(text: str) -> str:
    match = MOBILE.search(text or "")
    return re.sub(r"[\s-]", "", match.group(0)) if match else ""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def attachments(msg: EmailMessage) -> Iterator[Attachment]:
    """Every leaf part that is not the body, inline images included; a forwarded mail stays one .eml file."""
    bodies = {id(part) for part in body_parts(msg)}
    for number, part in enumerate(_leaves(msg, root=msg), start=1):
        if id(part) in bodies:
            continue
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            inner = part.get_payload()
            data = inner[0].as_bytes() if isinstance(inner, list) and inner else b""
        else:
            data = part.get_payload(decode=True) or b""
        if not data:
            continue
        try:
            filename = part.get_filename() or ""
        except (ValueError, TypeError, LookupError):
            filename = ""
        filename = filename.replace("/", "_").replace("\\", "_").strip()
        if not filename:
            extension = ".eml" if content_type == "message/rfc822" else mimetypes.guess_extension(content_type)
            filename = f"attachment-{number}{extension or '.bin'}"
        yield Attachment(filename=filename[:255], content_type=content_type, data=data)


def _leaves(part: EmailMessage, *, root: EmailMessage) -> Iterator[EmailMessage]:
    if part is not root and part.get_content_type() == "message/rfc822":
        yield part
    elif part.is_multipart():
        for sub in part.iter_parts():
            yield from _leaves(sub, root=root)
    else:
        yield part
