"""The staff pages of the work order: list, quick entry, detail with its actions, field view, callback desk, 晨会.

Pages call the same services as everything else, so these tests prove the page half: who sees what,
what a form posts, and that a refused or stale action answers clearly and changes nothing.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from guanjia.notify.models import Notification
from guanjia.tickets.models import Callback, Event, Photo, Rating, State, Ticket
from guanjia.tickets.services import (
    ticket_accept,
    ticket_arrive,
    ticket_dispatch,
    ticket_resolve,
)
from guanjia.tickets.taxonomy import Category, RequestType, Urgency
from guanjia.tickets.templatetags.ticket_tags import clock_countdown, next_countdown
from guanjia.tickets.tests.conftest import MONDAY_9, new_repair

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)
M = timedelta(minutes=1)


def png(name: str = "photo.png", colour: str = "teal") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def png_data_url() -> str:
    out = io.BytesIO()
    Image.new("RGB", (200, 80), "white").save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def snapshot(ticket: Ticket):
    ticket.refresh_from_db()
    return (ticket.state, ticket.version, ticket.assignee_id, ticket.events.count())


def as_user(client, staff):
    client.force_login(staff.user)
    return client


def act(client, ticket: Ticket, action: str, version: int | None = None, htmx: bool = False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    payload = {"version": ticket.version if version is None else version, **data}
    return client.post(reverse("tickets:act", args=[ticket.pk, action]), payload, headers=headers)


def dispatched(w, **kw) -> Ticket:
    t = new_repair(w, **kw)
    return ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=t.version, channel="page")


def resolved(w, **kw) -> Ticket:
    t = dispatched(w, **kw)
    t = ticket_accept(ticket=t, user=w.li.user, version=t.version, channel="field")
    t = ticket_arrive(ticket=t, user=w.li.user, version=t.version, channel="field")
    return ticket_resolve(ticket=t, user=w.li.user, version=t.version, channel="field", work_done="更换角阀")


# ---------------------------------------------------------------- who sees which page


def test_every_page_renders_for_the_front_desk(hy, client):
    w = hy.world
    t = resolved(w)
    as_user(client, w.wang)
    for name, args, text in [
        ("tickets:list", [], t.number),
        ("tickets:new", [], "登记工单"),
        ("tickets:detail", [t.pk], "处理过程"),
        ("tickets:callbacks", [], t.number),
        ("tickets:morning", [], "晨会"),
        ("tickets:field", [], "我的任务"),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert text in response.content.decode(), name


def test_nav_links_to_the_ticket_pages(hy, client):
    html = as_user(client, hy.world.wang).get(reverse("web:home")).content.decode()
    for name in ("list", "new", "callbacks", "morning", "field"):
        assert f'href="{reverse("tickets:" + name)}"' in html


def test_a_ticket_of_another_estate_is_404_on_every_ticket_page(hy, client):
    w = hy.world
    t = new_repair(w)
    as_user(client, w.zhao)  # front desk of 环球中心
    assert client.get(reverse("tickets:detail", args=[t.pk])).status_code == 404
    before = snapshot(t)
    assert act(client, t, "cancel", reason="不是我的").status_code == 404
    assert snapshot(t) == before
    listing = client.get(reverse("tickets:list"), {"state": "all"}).content.decode()
    assert t.number not in listing


def test_an_owner_login_cannot_open_staff_pages(hy, client):
    w = hy.world
    t = new_repair(w)
    client.force_login(w.chen_user)
    assert client.get(reverse("tickets:list")).status_code == 403
    assert client.get(reverse("tickets:detail", args=[t.pk])).status_code == 403
    assert client.get(reverse("tickets:field")).status_code == 403


def test_anonymous_visitors_are_sent_to_login(hy, client):
    response = client.get(reverse("tickets:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# ---------------------------------------------------------------- list


def numbers(response) -> list[str]:
    return re.findall(r'data-ticket="([^"]+)"', response.content.decode())


def test_queues_mine_department_and_estate(hy, client):
    w = hy.world
    mine = new_repair(w, description="王磊登记的")  # first contact 王磊
    other = new_repair(w, user=hy.liaison.user, description="冯工登记的")
    desk = new_repair(w, request_type=RequestType.INQUIRY, category=Category.GENERAL, user=hy.liaison.user)
    as_user(client, w.wang)  # front desk, customer service department
    url = reverse("tickets:list")
    assert set(numbers(client.get(url, {"queue": "mine"}))) == {mine.number}
    assert set(numbers(client.get(url, {"queue": "department"}))) == {desk.number}
    assert set(numbers(client.get(url, {"queue": "estate"}))) == {mine.number, other.number, desk.number}
    html = client.get(url, {"queue": "department"}).content.decode()
    assert 'href="?queue=mine"' in html and 'aria-current="page">部门队列' in html


def test_list_filters_by_state_type_urgency_category_text_and_overdue(hy, client, clock):
    w = hy.world
    leak = new_repair(w, description="卫生间漏水")
    lift = new_repair(w, category=Category.ELEVATOR, urgency=Urgency.URGENT, description="电梯异响")
    complaint = new_repair(w, request_type=RequestType.COMPLAINT, category=Category.NOISE, description="楼上装修噪音")
    gone = new_repair(w, unit=w.hy_3_1_0501, description="门口灯不亮", category=Category.ELECTRICAL)
    from guanjia.tickets.services import ticket_cancel

    ticket_cancel(ticket=gone, user=w.wang.user, version=gone.version, channel="page", reason="业主自行修好")
    as_user(client, w.wang)
    url = reverse("tickets:list")
    assert set(numbers(client.get(url))) == {leak.number, lift.number, complaint.number}  # open by default
    assert numbers(client.get(url, {"state": "closed"})) == [gone.number]
    assert numbers(client.get(url, {"state": "cancelled"})) == [gone.number]
    assert len(numbers(client.get(url, {"state": "all"}))) == 4
    assert numbers(client.get(url, {"type": "complaint"})) == [complaint.number]
    assert numbers(client.get(url, {"urgency": "urgent"})) == [lift.number]
    assert numbers(client.get(url, {"category": "elevator"})) == [lift.number]
    assert numbers(client.get(url, {"q": "漏水"})) == [leak.number]
    assert numbers(client.get(url, {"q": leak.number})) == [leak.number]
    assert numbers(client.get(url, {"q": "3-1-0501", "state": "all"})) == [gone.number]
    assert numbers(client.get(url, {"estate": w.hy.pk, "category": "noise"})) == [complaint.number]
    assert numbers(client.get(url, {"overdue": "1"})) == []
    clock.shift(26 * H)  # the urgent lift repair promised a fix within 24 h
    assert numbers(client.get(url, {"overdue": "1"})) == [lift.number]


def test_list_sorts_and_pages_25_at_a_time(hy, client, clock):
    w = hy.world
    made = []
    for _n in range(27):
        made.append(new_repair(w))
        clock.shift(M)
    as_user(client, w.wang)
    url = reverse("tickets:list")
    first = client.get(url)
    assert numbers(first) == [t.number for t in reversed(made)][:25]  # newest first
    assert "共 27 条" in first.content.decode() and "第 1 / 2 页" in first.content.decode()
    assert numbers(client.get(url, {"page": 2})) == [made[1].number, made[0].number]
    assert numbers(client.get(url, {"sort": "number"}))[:2] == [made[0].number, made[1].number]
    assert numbers(client.get(url, {"sort": "-created", "page": 2})) == [made[25].number, made[26].number]
    html = client.get(url, {"sort": "created"}).content.decode()
    assert 'href="?sort=-created"' in html  # the header link turns the order round


def test_htmx_list_request_renders_only_the_rows(hy, client):
    w = hy.world
    t = new_repair(w)
    response = as_user(client, w.wang).get(reverse("tickets:list"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert t.number in html and "<table" in html
    assert "<html" not in html and 'class="tabs"' not in html


def test_list_query_count_does_not_grow_with_the_page(hy, client):
    w = hy.world
    hy.depts["engineering"]  # tickets carry department, assignee, unit: all drawn in every row
    for _n in range(5):
        dispatched(w)
    as_user(client, w.wang)
    url = reverse("tickets:list")
    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert len(numbers(response)) == 5
    for _n in range(20):
        dispatched(w)
    with CaptureQueriesContext(connection) as twenty_five:
        response = client.get(url)
    assert len(numbers(response)) == 25
    assert len(twenty_five.captured_queries) == len(five.captured_queries)


# ---------------------------------------------------------------- countdown


def test_countdown_is_green_then_amber_at_80_percent_then_red_with_the_time_shown(hy, clock):
    t = new_repair(hy.world)  # normal repair: acknowledge within 2 h
    c = next_countdown(t)
    assert (c.clock, c.level, c.text) == ("ack", "ok", "剩 2小时0分")
    clock.shift(40 * M)
    assert clock_countdown(t, "ack").text == "剩 1小时20分" and clock_countdown(t, "ack").level == "ok"
    clock.shift(30 * M)
    assert clock_countdown(t, "ack").level == "mid"  # under half left
    clock.shift(30 * M)  # 100 of 120 minutes gone
    assert clock_countdown(t, "ack").level == "warn"
    clock.shift(55 * M)
    c = clock_countdown(t, "ack")
    assert (c.level, c.text) == ("overdue", "超时 35分")
    assert clock_countdown(t, "resolve").text == "剩 2天21小时"  # 72 h less 2 h 35 min


def test_a_warned_clock_is_amber_whatever_the_fraction(hy):
    t = new_repair(hy.world)
    t.clock_marks["ack"]["warned"] = True
    assert clock_countdown(t, "ack").level == "warn"


def test_list_row_shows_the_coloured_countdown(hy, client, clock):
    new_repair(hy.world)
    clock.shift(2 * H + 35 * M)
    html = as_user(client, hy.world.wang).get(reverse("tickets:list")).content.decode()
    assert 'class="countdown overdue"' in html and "响应 超时 35分" in html


# ---------------------------------------------------------------- quick entry


def quick(client, **data):
    w_fields = {
        "channel": "front_desk",
        "unit_code": "3-2-1102",
        "request_type": "repair",
        "category": "water",
        "urgency": "normal",
        "description": "厨房水槽下面漏水",
        "contact_name": "陈静",
        "contact_phone": "138 1234 5678",
        **data,
    }
    return client.post(reverse("tickets:new"), w_fields)


def test_quick_entry_creates_a_routed_ticket_with_clocks_and_photos(hy, client):
    w = hy.world
    as_user(client, w.wang)
    response = quick(client, estate=w.hy.pk, photos=[png("a.png"), png("b.png", "red")])
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert ticket.unit == w.hy_3_2_1102 and ticket.channel == "front_desk"
    assert ticket.department == hy.depts["engineering"] and ticket.first_contact == w.wang
    assert ticket.requester == w.chen  # the caller's phone matched the owner of the unit
    assert ticket.ack_due_at == MONDAY_9 + 2 * H and ticket.resolve_due_at == MONDAY_9 + 72 * H
    assert list(ticket.photos.values_list("stage", flat=True)) == ["reported", "reported"]
    page = client.get(response["Location"]).content.decode()
    assert "138****5678" in page and "13812345678" not in page


def test_quick_entry_by_hotline_with_a_unit_typed_the_chinese_way(hy, client):
    w = hy.world
    as_user(client, w.wang)
    quick(
        client,
        estate=w.hy.pk,
        channel="hotline",
        unit_code="3栋1单元0501",
        category="elevator",
        urgency="urgent",
        contact_phone="",
        preferred_visit_at="2026-11-23T14:30",
    )
    ticket = Ticket.objects.get()
    assert ticket.channel == "hotline" and ticket.unit == w.hy_3_1_0501 and ticket.requester is None
    assert ticket.preferred_visit_at.isoformat() == "2026-11-23T06:30:00+00:00"


@pytest.mark.parametrize("unit_code", ["3-2-9999", "T1-2305"], ids=["no-such-unit", "unit-of-another-estate"])
def test_quick_entry_with_an_unknown_unit_creates_nothing(hy, client, unit_code):
    w = hy.world
    response = quick(as_user(client, w.wang), estate=w.hy.pk, unit_code=unit_code)
    assert response.status_code == 400
    assert f"没有房屋 {unit_code}" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_quick_entry_cannot_pick_an_estate_the_clerk_does_not_serve(hy, client):
    w = hy.world
    response = quick(as_user(client, w.wang), estate=w.tower.pk, unit_code="T1-2305")
    assert response.status_code == 400 and Ticket.objects.count() == 0


def test_quick_entry_with_a_non_image_photo_creates_nothing(hy, client):
    w = hy.world
    fake = SimpleUploadedFile("leak.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = quick(as_user(client, w.wang), estate=w.hy.pk, photos=[png(), fake])
    assert response.status_code == 400
    assert "leak.jpg" in response.content.decode() and "不是有效的图片" in response.content.decode()
    assert Ticket.objects.count() == 0 and Photo.objects.count() == 0 and Event.objects.count() == 0


def test_quick_entry_with_a_bad_phone_number_says_so(hy, client):
    w = hy.world
    response = quick(as_user(client, w.wang), estate=w.hy.pk, contact_phone="12345")
    assert response.status_code == 400 and "手机号" in response.content.decode()
    assert Ticket.objects.count() == 0


# ---------------------------------------------------------------- detail and actions


def forms_on(html: str) -> set[str]:
    return set(re.findall(r'action="/tickets/\d+/act/([a-z_]+)/"', html))


def test_detail_offers_only_the_actions_allowed_now(hy, client):
    w = hy.world
    t = new_repair(w)
    desk = forms_on(as_user(client, w.wang).get(reverse("tickets:detail", args=[t.pk])).content.decode())
    assert {"dispatch", "escalate", "cancel", "merge", "note", "photo", "material"} <= desk
    assert not desk & {"accept", "arrive", "resolve", "confirm", "close", "rate", "callback", "send_code"}
    field = forms_on(as_user(client, w.li).get(reverse("tickets:detail", args=[t.pk])).content.decode())
    assert "dispatch" not in field and "cancel" not in field and "escalate" in field


def test_detail_shows_fields_clocks_photos_and_the_timeline(hy, client):
    w = hy.world
    t = dispatched(w)
    html = as_user(client, w.wang).get(reverse("tickets:detail", args=[t.pk])).content.decode()
    assert "3-2-1102" in html and "厨房水管漏水" in html and "138****5678" in html
    assert "给排水" in html and "工程部" in html and "李强" in html
    assert "响应" in html and 'class="countdown' in html
    assert "派给 李强" in html and "王磊" in html and "工作台" in html  # who, how, from where
    assert "查看完整号码" in html  # the front desk may reveal, through the resident page


def test_dispatch_form_offers_suggestions_and_moves_the_state(hy, client):
    w = hy.world
    t = new_repair(w)
    as_user(client, w.wang)
    html = client.get(reverse("tickets:detail", args=[t.pk])).content.decode()
    assert f'<option value="{w.li.pk}">李强' in html and "褚师傅" in html
    response = act(client, t, "dispatch", assignee=w.li.pk)
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.state == State.ASSIGNED and t.assignee == w.li
    page = client.get(response["Location"]).content.decode()
    assert "已派给 李强" in page


def test_htmx_action_answers_with_the_updated_panel(hy, client):
    w = hy.world
    t = dispatched(w)
    response = act(as_user(client, w.li), t, "accept", htmx=True)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-state="accepted"' in html and "<html" not in html
    assert "arrive" in forms_on(html) and "accept" not in forms_on(html)


def test_each_field_step_posts_through_the_action_endpoint(hy, client):
    w = hy.world
    t = dispatched(w)
    as_user(client, w.li)
    act(client, t, "accept")
    t.refresh_from_db()
    act(client, t, "arrive")
    t.refresh_from_db()
    assert t.state == State.IN_PROGRESS and t.arrived_at == MONDAY_9
    assert act(client, t, "photo", stage="before", photos=[png()]).status_code == 302
    assert act(client, t, "material", item="角阀", quantity="2", unit_of_measure="个").status_code == 302
    assert act(client, t, "note", text="业主要求下午再来").status_code == 302
    act(client, t, "resolve", work_done="更换角阀，试水无渗漏")
    t.refresh_from_db()
    assert t.state == State.RESOLVED and t.photos.get().stage == "before"
    assert t.materials.get().item == "角阀" and t.callbacks.get().outcome == "pending"
    assert t.events.filter(kind="note", reason="业主要求下午再来").exists()


@pytest.mark.parametrize("action", ["cancel", "hold", "decline", "escalate"])
def test_actions_that_need_a_reason_refuse_without_one(hy, client, action):
    w = hy.world
    t = dispatched(w)
    staff = w.li if action in ("decline", "hold") else w.wang
    before = snapshot(t)
    response = act(as_user(client, staff), t, action, reason="  ")
    assert response.status_code == 400 and "原因" in response.content.decode()
    assert snapshot(t) == before


def test_cancel_with_a_reason_is_on_the_timeline(hy, client):
    w = hy.world
    t = new_repair(w)
    act(as_user(client, w.wang), t, "cancel", reason="业主自行修好")
    t.refresh_from_db()
    assert t.state == State.CANCELLED and t.events.last().reason == "业主自行修好"


def test_a_refused_action_answers_403_or_400_and_changes_nothing(hy, client):
    w = hy.world
    t = new_repair(w)
    before = snapshot(t)
    response = act(as_user(client, w.li), t, "dispatch", assignee=w.li.pk)  # technicians do not dispatch
    assert response.status_code == 403 and "岗位" in response.content.decode()
    assert snapshot(t) == before
    response = act(client, t, "accept")  # a new ticket is nobody's to accept
    assert response.status_code == 400 and "不能执行" in response.content.decode()
    assert snapshot(t) == before
    response = act(as_user(client, w.wang), t, "close")
    assert response.status_code == 400 and snapshot(t) == before


def test_a_stale_version_is_409_with_the_fresh_state_and_changes_nothing(hy, client):
    w = hy.world
    t = new_repair(w)
    seen = t.version
    ticket_dispatch(ticket=t, assignee=hy.tech2, user=hy.liaison.user, version=seen, channel="page")  # 冯工 was quicker
    before = snapshot(t)
    response = act(as_user(client, w.wang), t, "dispatch", version=seen, assignee=w.li.pk)
    html = response.content.decode()
    assert response.status_code == 409 and "已被他人更新" in html
    assert 'data-state="assigned"' in html and "褚师傅" in html  # the fresh state, whoever took it
    assert snapshot(t) == before and t.assignee == hy.tech2


def test_a_stale_version_by_htmx_is_409_with_the_fresh_panel(hy, client):
    w = hy.world
    t = dispatched(w)
    seen = t.version
    ticket_accept(ticket=t, user=w.li.user, version=seen, channel="field")
    response = act(as_user(client, w.wang), t, "cancel", version=seen, reason="重复", htmx=True)
    assert response.status_code == 409 and 'data-state="accepted"' in response.content.decode()
    t.refresh_from_db()
    assert t.state == State.ACCEPTED


def test_merge_asks_for_the_other_ticket_number(hy, client):
    w = hy.world
    keep, dup = new_repair(w), new_repair(w)
    as_user(client, w.wang)
    assert act(client, dup, "merge", into="HY-29990101-0001").status_code == 400
    act(client, dup, "merge", into=keep.number.lower())
    dup.refresh_from_db()
    assert dup.state == State.MERGED and dup.merged_into == keep


def test_owner_confirms_with_the_code_sent_to_their_phone(hy, client):
    w = hy.world
    t = resolved(w)
    as_user(client, w.wang)
    assert {"confirm", "send_code"} <= forms_on(client.get(reverse("tickets:detail", args=[t.pk])).content.decode())
    assert act(client, t, "send_code").status_code == 302
    sms = Notification.objects.get(ticket=t, template="confirm_code")
    assert sms.address == w.chen.phone and sms.channel == "sms"
    code = sms.body.split("确认码 ")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    assert act(client, t, "confirm", code=wrong).status_code == 400
    act(client, t, "confirm", code=code)
    t.refresh_from_db()
    assert t.state == State.CONFIRMED and t.confirmed_at == MONDAY_9


def test_owner_signs_on_the_canvas_and_the_png_is_kept(hy, client):
    w = hy.world
    t = resolved(w)
    act(as_user(client, w.li), t, "confirm", signature_data=png_data_url())
    t.refresh_from_db()
    assert t.state == State.CONFIRMED and t.signature.name.endswith(".png")
    page = client.get(reverse("tickets:detail", args=[t.pk])).content.decode()
    assert f'src="{t.signature.url}"' in page
    assert client.get(t.signature.url).status_code == 200  # protected media: served to who sees the ticket


def test_confirm_without_signature_or_code_is_refused(hy, client):
    w = hy.world
    t = resolved(w)
    before = snapshot(t)
    response = act(as_user(client, w.li), t, "confirm", signature_data="data:image/png;base64,bm90IGEgcG5n")
    assert response.status_code == 400 and snapshot(t) == before
    assert act(client, t, "confirm").status_code == 400 and snapshot(t) == before


def test_resolve_in_the_field_with_the_owner_signature_confirms_at_once(hy, client):
    w = hy.world
    t = dispatched(w)
    t = ticket_accept(ticket=t, user=w.li.user, version=t.version, channel="field")
    response = act(
        as_user(client, w.li), t, "resolve", work_done="疏通下水", signature_data=png_data_url(), view="field"
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("tickets:field"))
    t.refresh_from_db()
    assert t.state == State.CONFIRMED and t.signature


def test_a_non_image_photo_upload_is_refused_and_nothing_is_stored(hy, client):
    w = hy.world
    t = dispatched(w)
    before = snapshot(t)
    fake = SimpleUploadedFile("after.png", b"GIF89a? no", content_type="image/png")
    response = act(as_user(client, w.li), t, "photo", stage="after", photos=[png(), fake])
    assert response.status_code == 400 and "after.png" in response.content.decode()
    assert Photo.objects.count() == 0 and snapshot(t) == before


def test_uploaded_photos_show_on_the_detail_through_protected_media(hy, client):
    w = hy.world
    t = dispatched(w)
    as_user(client, w.li)
    act(client, t, "photo", stage="before", photos=[png()])
    photo = t.photos.get()
    assert f'src="{photo.image.url}"' in client.get(reverse("tickets:detail", args=[t.pk])).content.decode()
    response = client.get(photo.image.url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"\x89PNG"
    assert as_user(client, w.zhao).get(photo.image.url).status_code == 404


def test_rating_form_records_three_scores_once(hy, client):
    w = hy.world
    t = resolved(w)
    as_user(client, w.wang)
    assert "rate" in forms_on(client.get(reverse("tickets:detail", args=[t.pk])).content.decode())
    act(client, t, "rate", speed=5, professionalism=4, attitude=5, comment="师傅很专业")
    assert Rating.objects.get(ticket=t).overall == 5
    assert act(client, t, "rate", speed=1, professionalism=1, attitude=1).status_code == 400
    assert "rate" not in forms_on(client.get(reverse("tickets:detail", args=[t.pk])).content.decode())


def test_unknown_action_is_404(hy, client):
    t = new_repair(hy.world)
    assert act(as_user(client, hy.world.wang), t, "reopen").status_code == 404
    assert act(client, t, "explode").status_code == 404


# ---------------------------------------------------------------- field view


def test_field_view_lists_the_technicians_own_jobs_with_big_buttons(hy, client):
    w = hy.world
    mine = dispatched(w, description="我的活")
    other = new_repair(w, description="别人的活")
    ticket_dispatch(ticket=other, assignee=hy.tech2, user=w.wang.user, version=other.version, channel="page")
    new_repair(w, description="还没派")
    html = as_user(client, w.li).get(reverse("tickets:field")).content.decode()
    assert numbers_in(html) == [mine.number]
    assert 'data-action="accept"' in html and 'data-action="decline"' in html
    assert "138****5678" in html and "13812345678" not in html


def numbers_in(html: str) -> list[str]:
    return re.findall(r'<article class="job" id="job-\d+" data-ticket="([^"]+)"', html)


def test_field_htmx_action_answers_with_the_job_card(hy, client):
    w = hy.world
    t = dispatched(w)
    response = act(as_user(client, w.li), t, "accept", view="field", htmx=True)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(f'<article class="job" id="job-{t.pk}"')
    assert 'data-action="arrive"' in html and 'capture="environment"' in html


def test_field_view_keeps_todays_finished_job_for_the_signature(hy, client):
    w = hy.world
    t = resolved(w)
    html = as_user(client, w.li).get(reverse("tickets:field")).content.decode()
    assert numbers_in(html) == [t.number] and 'data-form="confirm"' in html and "<canvas" in html


# ---------------------------------------------------------------- callback desk


def test_callback_desk_shows_the_script_and_records_a_satisfied_outcome(hy, client):
    w = hy.world
    t = resolved(w)
    as_user(client, w.wang)
    html = client.get(reverse("tickets:callbacks")).content.decode()
    assert t.number in html and "回访话术" in html and "1到5分" in html and "138****5678" in html
    assert f'href="{reverse("web:resident_detail", args=[w.chen.pk])}"' in html  # reveal goes through 住户
    callback = t.callbacks.get()
    response = act(client, t, "callback", callback=callback.pk, outcome="satisfied", notes="5分", view="callbacks")
    assert response.status_code == 302 and response["Location"] == reverse("tickets:callbacks")
    t.refresh_from_db()
    callback.refresh_from_db()
    assert t.state == State.CLOSED and callback.outcome == "satisfied" and callback.done_by == w.wang
    assert t.number not in client.get(reverse("tickets:callbacks")).content.decode()


def test_callback_desk_by_htmx_answers_with_the_recorded_item(hy, client):
    w = hy.world
    t = resolved(w)
    callback = t.callbacks.get()
    response = act(
        as_user(client, w.wang), t, "callback", callback=callback.pk, outcome="unreachable", view="callbacks", htmx=True
    )
    html = response.content.decode()
    assert response.status_code == 200 and f'id="cb-{callback.pk}"' in html and "联系不上" in html
    assert Callback.objects.filter(ticket=t, attempt=2, outcome="pending").exists()


def test_a_technician_cannot_record_a_callback(hy, client):
    w = hy.world
    t = resolved(w)
    before = snapshot(t)
    response = act(as_user(client, w.li), t, "callback", outcome="unreachable", view="callbacks")
    assert response.status_code == 403 and snapshot(t) == before
    assert t.callbacks.get().outcome == "pending"


def test_not_satisfied_sends_the_ticket_back(hy, client):
    w = hy.world
    t = resolved(w)
    act(as_user(client, w.wang), t, "callback", outcome="not_satisfied", notes="还在滴水")
    t.refresh_from_db()
    assert t.state == State.ASSIGNED and t.flagged and t.assignee == w.li


# ---------------------------------------------------------------- morning meeting


def test_morning_list_shows_yesterdays_open_tickets_by_department(hy, client, clock):
    w = hy.world
    old = new_repair(w, description="昨天的漏水", now=MONDAY_9 - timedelta(days=1))
    old_noise = new_repair(
        w, request_type=RequestType.COMPLAINT, category=Category.NOISE, now=MONDAY_9 - timedelta(days=1)
    )
    done = new_repair(w, now=MONDAY_9 - timedelta(days=1))
    from guanjia.tickets.services import ticket_cancel

    ticket_cancel(ticket=done, user=w.wang.user, version=done.version, channel="page", reason="重复")
    today = new_repair(w, description="今天的")
    html = as_user(client, w.wang).get(reverse("tickets:morning")).content.decode()
    assert old.number in html and old_noise.number in html
    assert done.number not in html and today.number not in html
    assert "工程部" in html and "秩序维护部" in html


def test_morning_list_prints_without_nav_and_forms(hy):
    css = Path(finders.find("tickets/tickets.css")).read_text()
    print_rules = css.split("@media print", 1)[1].split("}\n}", 1)[0]
    assert "header.top" in print_rules and "nav" in print_rules and "form" in print_rules
