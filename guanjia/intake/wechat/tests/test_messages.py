"""A bound owner's messages: text and voice become tickets, "进度?" reports, images join the open ticket."""

from __future__ import annotations

import io
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from guanjia.conftest import SH
from guanjia.intake.wechat.models import InboundMessage
from guanjia.intake.wechat.tests.conftest import OPENID, payload
from guanjia.people.models import Occupancy
from guanjia.tickets.models import Event, Photo, Ticket
from guanjia.tickets.services import ticket_dispatch


def test_a_bound_owners_text_becomes_a_ticket_for_engineering_and_the_reply_names_it(platform, chen_follower, hy):
    response = platform.push(payload("text_repair.xml"))

    reply = platform.reply(response)
    ticket = Ticket.objects.get()
    assert ticket.channel == "wechat"
    assert ticket.requester == hy.world.chen
    assert ticket.unit == hy.world.hy_3_2_1102  # her only home
    assert ticket.category == "water"
    assert ticket.department == hy.depts["engineering"]
    assert reply.type == "text" and reply.target == OPENID
    assert f"已受理，工单号 {ticket.number}" in reply.content
    assert f"{ticket.arrive_due_at.astimezone(SH):%H:%M} 前上门" in reply.content
    assert InboundMessage.objects.get().ticket == ticket


def test_an_owner_of_several_homes_is_asked_which_one(platform, chen_follower, hy):
    Occupancy.objects.create(
        estate=hy.world.hy, resident=hy.world.chen, unit=hy.world.hy_3_1_0501, relation=Occupancy.Relation.OWNER
    )

    reply = platform.reply(platform.push(payload("text_repair.xml")))

    ticket = Ticket.objects.get()
    assert ticket.unit is None  # we do not guess which home leaks
    assert "多处房屋" in reply.content


def test_a_platform_retry_of_the_same_msgid_creates_one_ticket_and_repeats_the_reply(platform, chen_follower):
    first = platform.reply(platform.push(payload("text_repair.xml")))
    second = platform.reply(platform.push(payload("text_repair.xml")))
    third = platform.reply(platform.push(payload("text_repair.xml"), nonce="998877"))

    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.count() == 1
    assert first.content == second.content == third.content


def test_voice_becomes_a_ticket_from_the_recognised_text(platform, chen_follower, hy):
    reply = platform.reply(platform.push(payload("voice_recognition.xml")))

    ticket = Ticket.objects.get()
    assert ticket.description == "卫生间的下水道堵了，水排不下去，麻烦派人来疏通一下。"
    assert ticket.department == hy.depts["engineering"]
    assert ticket.number in reply.content
    assert InboundMessage.objects.get().msg_type == "voice"


def test_voice_without_recognition_asks_again(platform, chen_follower):
    reply = platform.reply(platform.push(payload("voice_recognition.xml", Recognition="")))

    assert "没有听清" in reply.content
    assert Ticket.objects.count() == 0


def test_progress_answers_with_the_current_state_and_the_technician(platform, chen_follower, hy):
    platform.push(payload("text_repair.xml"))
    ticket = Ticket.objects.get()
    ticket_dispatch(ticket=ticket, assignee=hy.world.li, user=hy.liaison.user, version=ticket.version, channel="app")

    reply = platform.reply(platform.push(payload("text_progress.xml")))  # "进度?"

    assert ticket.number in reply.content
    assert "已派单" in reply.content
    assert "李强" in reply.content
    assert Ticket.objects.count() == 1


def test_progress_with_no_open_ticket_says_so(platform, chen_follower):
    reply = platform.reply(platform.push(payload("text_progress.xml", Content="查询")))

    assert "没有处理中的工单" in reply.content


def test_saying_it_again_is_added_to_the_open_ticket(platform, chen_follower):
    platform.push(payload("text_repair.xml"))
    ticket = Ticket.objects.get()

    reply = platform.reply(
        platform.push(payload("text_repair.xml", Content="厨房水管还在漏水，楼下也渗水了", MsgId="24796530117733990"))
    )

    assert Ticket.objects.count() == 1
    assert f"已有工单 {ticket.number}" in reply.content
    assert "本次内容已补充" in reply.content
    assert ticket.events.filter(kind=Event.Kind.NOTE, reason__contains="楼下也渗水").exists()


def test_supplementing_adds_a_note_to_the_latest_open_ticket(platform, chen_follower):
    platform.push(payload("text_repair.xml"))
    ticket = Ticket.objects.get()

    reply = platform.reply(
        platform.push(payload("text_repair.xml", Content="补充：漏水点在水槽下面的软管接头", MsgId="24796530117733991"))
    )

    assert f"已补充到工单 {ticket.number}" in reply.content
    note = ticket.events.get(kind=Event.Kind.NOTE, channel="wechat")
    assert note.reason == "业主补充：漏水点在水槽下面的软管接头"
    assert InboundMessage.objects.get(msg_id="24796530117733991").ticket == ticket


def test_unsupported_messages_get_a_polite_answer(platform, chen_follower):
    reply = platform.reply(platform.push(payload("location.xml")))

    assert "暂不支持" in reply.content
    assert Ticket.objects.count() == 0


# --- Images --------------------------------------------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def pic_server():
    """A local stand-in for the platform's image host (mmbiz.qpic.cn): serves one PNG."""
    body = _png()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/mmbiz_jpg/Qa3bWm9cXe1kF7pLr2sTd0uVyZg4Hn6oJ8iKxA5bC/0"
    server.shutdown()
    server.server_close()


@pytest.fixture
def dead_url():
    """A PicUrl nobody answers (as when the server is offline or the link has expired)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/mmbiz_jpg/expired/0"


def test_an_image_is_downloaded_and_attached_to_the_open_ticket(platform, chen_follower, pic_server):
    platform.push(payload("text_repair.xml"))
    ticket = Ticket.objects.get()

    reply = platform.reply(platform.push(payload("image.xml", PicUrl=pic_server)))

    photo = Photo.objects.get()
    assert photo.ticket == ticket and photo.stage == "reported"
    assert f"图片已补充到工单 {ticket.number}" in reply.content
    logged = InboundMessage.objects.get(msg_type="image")
    assert logged.pic_url == pic_server and logged.media_id.startswith("kT9cN2yV")
    assert logged.ticket == ticket


def test_an_image_that_cannot_be_fetched_leaves_its_link_in_a_note(platform, chen_follower, dead_url):
    platform.push(payload("text_repair.xml"))
    ticket = Ticket.objects.get()

    platform.reply(platform.push(payload("image.xml", PicUrl=dead_url)))

    assert Photo.objects.count() == 0
    note = ticket.events.get(kind=Event.Kind.NOTE, channel="wechat")
    assert dead_url in note.reason and "kT9cN2yV" in note.reason


def test_an_image_with_no_open_ticket_opens_one_for_a_clerk_to_review(platform, chen_follower, dead_url, hy):
    reply = platform.reply(platform.push(payload("image.xml", PicUrl=dead_url)))

    ticket = Ticket.objects.get()
    assert ticket.description == "业主发来图片"
    assert ticket.needs_review
    assert ticket.requester == hy.world.chen
    assert f"已为您登记工单 {ticket.number}" in reply.content
    assert ticket.events.filter(kind=Event.Kind.NOTE, reason__contains=dead_url).exists()


def test_an_image_from_an_unbound_follower_creates_nothing(platform, dead_url):
    reply = platform.reply(platform.push(payload("image.xml", PicUrl=dead_url)))

    assert "绑定" in reply.content
    assert Ticket.objects.count() == 0
