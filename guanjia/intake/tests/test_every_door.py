"""The intake issue's acceptance line, door by door: "A new ticket from any channel lands in the right department
queue with the right promise clock, without a clerk touching it."

Each door is driven the way its real sender drives it, with the helpers and fixtures of that channel's own tests:

- owner app: POST /api/v1/requests/ with an Idempotency-Key (`submit` of test_requests.py);
- WeChat Official Account: the platform, played by wechatpy, pushes a signed text message from 陈静's bound openid
  to /channels/wechat/HY/ (`platform`, `chen_follower` and `payload` of wechat/tests/conftest.py);
- email: a raw RFC 822 mail is APPENDed to a real dovecot INBOX and taken in by `mailbox_poll`, the function the
  IMAP poll task calls (the `mailroom` fixture of email/tests/conftest.py; skipped, like those tests, without dovecot);
- hotline: the speech-recognition feed POSTs a transcript to /api/v1/hotline/transcripts/;
- walk-in: the front desk's quick entry POSTs a unit code and the words to /intake/submit/;
- device: the lift monitor POSTs an HMAC-signed alarm to /channels/iot/HY/ (`signed`, `post`, `lift` of
  test_devices.py).

Every text door gets the same three plainly worded messages (each checked with `python -m guanjia.triage --json`):
someone trapped in the lift, rubbish not collected for three days, noise from upstairs at night. Then, for each
door and message: exactly one ticket; the labels automatic triage gave it; the department owning its category;
the due times of DESIGN.md's default promise counted from Monday 2026-11-23 09:00 (the frozen `clock`); the ticket
in that department's staff queue (`ticket_search` with queue=department, what /tickets/?queue=department shows)
and in no other department's; and no hand on it — still `new`, `needs_review` false, unassigned, no label
correction, and `created` its only event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest

from guanjia.conftest import MONDAY_9, SH, api_client_for, make_staff
from guanjia.intake.email.services import mailbox_poll
from guanjia.intake.email.tests.conftest import OUR_ADDRESS, dovecot, mailroom, smtp_server  # noqa: F401
from guanjia.intake.tests import test_devices as devices
from guanjia.intake.tests.test_devices import lift  # noqa: F401
from guanjia.intake.tests.test_requests import submit
from guanjia.intake.wechat.tests.conftest import account, chen_follower, payload, platform  # noqa: F401
from guanjia.org.roles import Role
from guanjia.tickets.models import Event, LabelCorrection, State, Ticket
from guanjia.tickets.selectors import TicketFilters, ticket_search
from guanjia.tickets.workdays import add_working_days

# dovecot, mailroom, smtp_server, lift, account, chen_follower and platform are the channels' own fixtures, imported
# so the doors can ask for them by name (request.getfixturevalue): only the email cases start dovecot and SMTP.

pytestmark = pytest.mark.django_db

M, H = timedelta(minutes=1), timedelta(hours=1)


# --- What should happen ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Landing:
    """Where a message must land, and its promise (DESIGN.md "Default service promises") from MONDAY_9."""

    department: str
    request_type: str
    category: str
    urgency: str
    ack: timedelta
    arrive: timedelta
    resolve: timedelta | datetime  # a length, or a fixed moment (急修不过夜: the end of the day)
    statutory_working_days: int | None = None  # written reply to a complaint

    def due(self) -> dict[str, datetime | None]:
        resolve = self.resolve if isinstance(self.resolve, datetime) else MONDAY_9 + self.resolve
        days = self.statutory_working_days
        statutory = add_working_days(MONDAY_9, days).due if days else None  # by the holiday calendar
        return {
            "ack_due_at": MONDAY_9 + self.ack,
            "arrive_due_at": MONDAY_9 + self.arrive,
            "resolve_due_at": resolve,
            "statutory_due_at": statutory,
            "callback_due_at": None,  # starts only when the work is resolved
        }


END_OF_MONDAY = datetime(2026, 11, 23, 23, 59, 59, tzinfo=SH)
# Emergency repair: acknowledged in 5 min, on site in 30 min, fixed the same day.
EMERGENCY_LIFT = Landing("engineering", "repair", "elevator", "emergency", 5 * M, 30 * M, END_OF_MONDAY)
# Urgent repair: acknowledged in 30 min, on site in 2 h, fixed in 24 h.
URGENT_LIFT = Landing("engineering", "repair", "elevator", "urgent", 30 * M, 2 * H, 24 * H)


def complaint(department: str, category: str) -> Landing:
    """Acknowledged in 2 h, the owner contacted in 24 h, a solution in 72 h, a written reply in 30 working days."""
    return Landing(department, "complaint", category, "normal", 2 * H, 24 * H, 72 * H, statutory_working_days=30)


@dataclass(frozen=True)
class Message:
    name: str
    text: str | dict  # what the owner says, or the device's alarm payload
    landing: Landing


MESSAGES = (
    Message(
        "lift_trapped", "3栋2单元的电梯困人，电梯卡在8楼不动了，里面有人被困出不来，请马上派人来救", EMERGENCY_LIFT
    ),
    Message(
        "rubbish_uncollected",
        "垃圾三天没人清运，楼下的垃圾桶已经满了溢到地上，臭气熏天，请尽快安排保洁清理",
        complaint("environment", "sanitation"),
    ),
    Message(
        "noise_at_night",
        "楼上噪音太大，每天半夜一两点还在大声唱歌放音乐，吵得我们整夜睡不着，请保安上去制止",
        complaint("security", "noise"),
    ),
)
ALARMS = (
    Message("lift_alarm_trapped", devices.TRAPPED, EMERGENCY_LIFT),
    Message(
        "lift_alarm_door_fault",
        {"device": "HY-L-03-1", "event": "alarm", "fault": "door_fault", "message": "层门无法关闭，已停梯"},
        URGENT_LIFT,
    ),
)


# --- The doors ------------------------------------------------------------------------------------------------


def owner_app(request, text: str) -> None:
    world = request.getfixturevalue("hy").world
    response = submit(api_client_for(world.chen_user), world.hy_3_2_1102, text, "every-door-1")
    assert response.status_code == 201, response.content


def wechat(request, text: str) -> None:
    request.getfixturevalue("chen_follower")
    wechat_server = request.getfixturevalue("platform")
    reply = wechat_server.reply(wechat_server.push(payload("text_repair.xml", Content=text)))
    assert "已受理" in reply.content


def owner_mail(text: str) -> bytes:
    """陈静's mail as her mail program sends it: the first clause as the subject, the whole message as the body."""
    msg = EmailMessage()
    msg["From"] = "陈静 <chenjing1978@163.example>"
    msg["To"] = OUR_ADDRESS
    msg["Subject"] = text.split("，")[0]
    msg["Date"] = format_datetime(MONDAY_9 - 5 * M)
    msg["Message-ID"] = make_msgid(domain="163.example")
    msg.set_content(text)
    return msg.as_bytes()


def email(request, text: str) -> None:
    room = request.getfixturevalue("mailroom")
    room.deliver(owner_mail(text))
    report = mailbox_poll(mailbox=room.mailbox)
    assert len(report.created) == 1 and not report.failed, report


def hotline(request, text: str) -> None:
    world = request.getfixturevalue("hy").world
    body = {"estate": world.hy.id, "call_id": "C-20261123-0900", "caller": "13812345678", "transcript": text}
    response = api_client_for(world.wang.user).post("/api/v1/hotline/transcripts/", body, format="json")
    assert response.status_code == 201, response.content


def walk_in(request, text: str) -> None:
    client = request.getfixturevalue("client")
    client.force_login(request.getfixturevalue("hy").world.wang.user)
    response = client.post("/intake/submit/", {"unit": "3-2-1102", "text": text})
    assert response.status_code == 201, response.content.decode()


def device(request, alarm: dict) -> None:
    request.getfixturevalue("lift")
    response = devices.post(request.getfixturevalue("client"), *devices.signed(alarm))
    assert response.status_code == 201, response.content


@dataclass(frozen=True)
class Door:
    channel: str  # Ticket.channel
    send: Callable


TEXT_DOORS = {
    "owner_app": Door("app", owner_app),
    "wechat": Door("wechat", wechat),
    "email": Door("email", email),
    "hotline": Door("hotline", hotline),
    "walk_in": Door("front_desk", walk_in),
}
CASES = [
    *(
        pytest.param(door, message, id=f"{name}-{message.name}")
        for name, door in TEXT_DOORS.items()
        for message in MESSAGES
    ),
    *(pytest.param(Door("iot", device), alarm, id=f"device-{alarm.name}") for alarm in ALARMS),
]


# --- The queues -----------------------------------------------------------------------------------------------


@pytest.fixture
def queues(hy):
    """One member of each department that has a queue to work, as the staff who read it."""
    members = {"engineering": hy.world.li, "customer_service": hy.world.wang}
    for kind, username, name, role in [
        ("security", "baoan", "钱队长", Role.SECURITY_OFFICER),
        ("environment", "baojie", "孙阿姨", Role.CLEANER),
    ]:
        members[kind] = make_staff(username, name, role=role, estates=[hy.world.hy])
        members[kind].department = hy.depts[kind]
        members[kind].save()
    return members


def department_queue(staff) -> set[str]:
    filters = TicketFilters.from_params({"queue": "department"})  # the ticket list page's 本部门 queue
    return set(ticket_search(user=staff.user, filters=filters).values_list("number", flat=True))


# --- The acceptance line --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("door", "message"), CASES)
def test_a_new_ticket_from_any_door_lands_in_its_departments_queue_with_its_promise_untouched(
    request, hy, queues, door, message
):
    door.send(request, message.text)

    ticket = Ticket.objects.select_related("department").get()  # one message, one ticket
    expected = message.landing
    assert ticket.channel == door.channel
    assert (ticket.request_type, ticket.category, ticket.urgency) == (
        expected.request_type,
        expected.category,
        expected.urgency,
    )
    assert (ticket.department.estate, ticket.department.kind) == (hy.world.hy, expected.department)
    assert {field: getattr(ticket, field) for field in expected.due()} == expected.due()
    assert {kind: ticket.number in department_queue(staff) for kind, staff in queues.items()} == {
        kind: kind == expected.department for kind in queues
    }
    # Nobody on staff touched it: the labels are triage's own, no clerk triaged, corrected, dispatched or escalated.
    assert {key: ticket.triage[key] for key in ("request_type", "category", "department", "urgency")} == {
        "request_type": expected.request_type,
        "category": expected.category,
        "department": expected.department,
        "urgency": expected.urgency,
    }
    assert (ticket.state, ticket.needs_review, ticket.assignee, ticket.sensitive) == (State.NEW, False, None, False)
    assert list(ticket.events.values_list("kind", flat=True)) == [Event.Kind.CREATED]
    assert not LabelCorrection.objects.exists()
