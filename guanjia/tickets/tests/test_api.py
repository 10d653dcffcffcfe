"""The work order through /api/v1/: the whole loop by token, estate isolation, conflicts, refusals, uploads.

Personas (guanjia/conftest.py, tickets/tests/conftest.py): 王磊 wang front desk HY, 李强 li technician HY
(engineering, 水电), 褚师傅 tech2 technician HY, 周主管 sup supervisor HY, 冯工 liaison HY, 赵敏 zhao front
desk of the tower (must see nothing of HY), 陈静 chen owner of HY 3-2-1102 with an app login, 周建国 zhou
owner of HY 3-1-0501 (no login).
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from rest_framework.test import APIClient

from guanjia.conftest import api_client_for
from guanjia.estates.models import CommonArea
from guanjia.notify.models import Notification
from guanjia.tickets.models import Callback, Event, MaterialRequest, Photo, Rating, Ticket
from guanjia.tickets.services import (
    ticket_accept,
    ticket_arrive,
    ticket_dispatch,
    ticket_resolve,
)
from guanjia.tickets.tests.conftest import MONDAY_9, new_repair

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825  # 34853


# ---------------------------------------------------------------- helpers


@pytest.fixture
def media(settings, tmp_path):
    """Uploads land in a fresh directory, so "nothing stored" can be checked file by file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def jpeg(*, gps: bool = False, size=(64, 48), noise: bool = False) -> bytes:
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    if gps:  # what a phone camera writes: where the owner lives, to the metre
        exif[0x010F] = "HUAWEI"
        exif[GPS_IFD] = {1: "N", 2: (31.0, 14.0, 12.0), 3: "E", 4: (121.0, 28.0, 30.0)}
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def png(size=(80, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, "PNG")
    return buf.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def url(ticket_id: int, action: str = "") -> str:
    return f"/api/v1/tickets/{ticket_id}/" + (f"{action}/" if action else "")


def act(client: APIClient, ticket_id: int, action: str, expect: int = 200, fmt: str = "json", **body) -> dict:
    response = client.post(url(ticket_id, action), body, format=fmt)
    assert response.status_code == expect, response.content.decode()
    return response.json()


def snapshot(ticket: Ticket) -> tuple:
    ticket.refresh_from_db()
    return (
        ticket.state,
        ticket.version,
        ticket.assignee_id,
        ticket.events.count(),
        ticket.photos.count(),
        ticket.materials.count(),
        Rating.objects.filter(ticket=ticket).exists(),
        bool(ticket.signature),
    )


def resolved(hy, **kw) -> Ticket:
    """A repair 李强 has fixed: dispatched, accepted, on site, resolved (a callback is now due)."""
    w = hy.world
    t = new_repair(w, **kw)
    t = ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=t.version, channel="page")
    t = ticket_accept(ticket=t, user=w.li.user, version=t.version, channel="app")
    t = ticket_arrive(ticket=t, user=w.li.user, version=t.version, channel="app")
    return ticket_resolve(ticket=t, user=w.li.user, version=t.version, channel="app", work_done="更换密封圈")


# ---------------------------------------------------------------- the whole loop


def test_repair_runs_the_whole_loop_through_the_api(hy, media, clock, django_capture_on_commit_callbacks):
    w = hy.world
    owner, desk, tech = api_client_for(w.chen_user), api_client_for(w.wang.user), api_client_for(w.li.user)

    # 陈静 reports a leak from the app, for her own flat.
    response = owner.post(
        "/api/v1/tickets/",
        {
            "unit": w.hy_3_2_1102.id,
            "request_type": "repair",
            "category": "water",
            "description": "厨房水槽下面的水管漏水，地上都是水",
            "preferred_visit_at": "2026-11-23T14:00:00+08:00",
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    t = response.json()
    tid = t["id"]
    assert (t["state"], t["channel"], t["estate_code"], t["unit_code"]) == ("new", "app", "HY", "3-2-1102")
    assert t["requester_name"] == "陈静" and t["contact_phone"] == "138****5678"
    assert t["department_name"] == "工程部" and t["clocks"]["resolve_due_at"] is not None
    assert t["allowed_actions"] == []  # the owner has nothing to do until the work is done

    # The front desk picks the technician the system suggests: 李强 knows 给排水.
    clock.shift(timedelta(minutes=5))
    suggestions = desk.get(url(tid, "suggestions")).json()
    assert suggestions[0]["id"] == w.li.id and suggestions[0]["load"] == 0
    t = act(desk, tid, "dispatch", version=t["version"], assignee=suggestions[0]["id"])
    assert t["state"] == "assigned" and t["assignee_name"] == "李强"

    clock.shift(timedelta(minutes=5))
    t = act(tech, tid, "accept", version=t["version"])
    assert set(t["allowed_actions"]) >= {"arrive", "resolve", "hold"}
    clock.shift(timedelta(minutes=40))
    t = act(tech, tid, "arrive", version=t["version"])
    assert t["state"] == "in_progress"

    before = upload("before.jpg", jpeg(gps=True))
    t = act(tech, tid, "photos", 201, fmt="multipart", image=before, stage="before")
    t = act(tech, tid, "materials", 201, item="PPR 弯头", quantity="2", unit_of_measure="个")
    clock.shift(timedelta(minutes=30))
    t = act(tech, tid, "photos", 201, fmt="multipart", image=upload("after.png", png(), "image/png"), stage="after")
    t = act(tech, tid, "resolve", version=t["version"], work_done="更换水槽下水弯头两个，试水无渗漏")
    assert t["state"] == "resolved" and len(t["callbacks"]) == 1
    assert [p["stage"] for p in t["photos"]] == ["before", "after"]
    assert t["photos"][0]["url"].startswith("http://testserver/media/")
    assert t["materials"][0]["item"] == "PPR 弯头" and t["materials"][0]["requested_by_name"] == "李强"

    # The owner signs on the technician's phone.
    signature = upload("signature.png", png((300, 120)), "image/png")
    t = act(tech, tid, "confirm", fmt="multipart", version=t["version"], signature=signature)
    assert t["state"] == "confirmed" and t["signature"].endswith(".png")

    # …and rates the job from her app.
    clock.shift(timedelta(hours=2))
    t = act(owner, tid, "rate", 201, speed=5, professionalism=5, attitude=4, comment="师傅很专业")
    assert t["rating"]["speed"] == 5 and t["rating"]["attitude"] == 4

    # Next morning the callback clerk works the callback list and the customer is satisfied.
    clock.shift(timedelta(hours=20))
    listed = desk.get("/api/v1/callbacks/").json()["results"]
    assert [c["ticket"]["id"] for c in listed] == [tid]
    callback = listed[0]
    assert callback["ticket"]["contact_phone"] == "138****5678"
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            f"/api/v1/callbacks/{callback['id']}/record/",
            {"outcome": "satisfied", "notes": "业主表示满意", "version": callback["ticket"]["version"]},
            format="json",
        )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["state"] == "closed"

    t = owner.get(url(tid)).json()
    assert t["state"] == "closed" and t["closed_at"] is not None
    steps = [(e["kind"], e["action"], e["actor_name"]) for e in t["timeline"]]
    assert steps == [
        ("created", "", "陈静"),
        ("transition", "dispatch", "王磊"),
        ("transition", "accept", "李强"),
        ("transition", "arrive", "李强"),
        ("photo", "", "李强"),
        ("material", "", "李强"),
        ("photo", "", "李强"),
        ("transition", "resolve", "李强"),
        ("transition", "confirm", "李强"),
        ("rating", "", "陈静"),
        ("callback", "", "王磊"),
        ("transition", "callback", "王磊"),
        ("transition", "close", "王磊"),
    ]
    assert [e["at"] for e in t["timeline"]] == sorted(e["at"] for e in t["timeline"])

    ticket = Ticket.objects.get(pk=tid)
    assert ticket.report.name.endswith(".pdf")
    with ticket.report.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert t["report"].endswith(".pdf")  # written on commit, so it shows from the next read on
    assert Callback.objects.get(pk=callback["id"]).outcome == "satisfied"


# ---------------------------------------------------------------- list and detail


def test_list_filters_by_queue_type_state_and_text(hy):
    w = hy.world
    leak = new_repair(w)
    noise = new_repair(w, request_type="complaint", category="noise", description="楼上半夜装修")
    question = new_repair(w, request_type="inquiry", category="fees", description="物业费怎么交", unit=w.hy_3_1_0501)
    ticket_dispatch(ticket=leak, assignee=w.li, user=w.wang.user, version=leak.version, channel="page")
    desk, tech = api_client_for(w.wang.user), api_client_for(w.li.user)

    def numbers(client, query=""):
        response = client.get(f"/api/v1/tickets/?{query}")
        assert response.status_code == 200
        return {row["number"] for row in response.json()["results"]}

    assert numbers(desk) == {leak.number, noise.number, question.number}
    assert numbers(desk, "type=complaint") == {noise.number}
    assert numbers(desk, "state=assigned") == {leak.number}
    assert numbers(tech, "queue=mine") == {leak.number}
    assert numbers(desk, "q=3-1-0501") == {question.number}
    assert numbers(desk, f"q={noise.number}") == {noise.number}
    assert numbers(desk, "category=water") == {leak.number}
    assert numbers(desk, "state=closed") == set()
    assert numbers(desk, f"estate={w.tower.id}") == set()


def test_list_pages_and_caps_the_page_size(hy):
    w = hy.world
    for _ in range(7):
        new_repair(w)
    desk = api_client_for(w.wang.user)
    page = desk.get("/api/v1/tickets/?page_size=5").json()
    assert page["count"] == 7 and len(page["results"]) == 5 and page["next"]
    assert len(desk.get("/api/v1/tickets/?page_size=5&page=2").json()["results"]) == 2
    assert len(desk.get("/api/v1/tickets/?page_size=100000").json()["results"]) == 7  # capped at 200, not refused


def test_ticket_list_runs_the_same_queries_for_5_or_50_rows(hy):
    w = hy.world
    garden = CommonArea.objects.create(estate=w.hy, name="中心花园")
    for i in range(60):
        t = new_repair(w, common_area=garden if i % 3 == 0 else None, unit=w.hy_3_1_0501 if i % 2 else w.hy_3_2_1102)
        if i % 2:
            ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=t.version, channel="page")
    desk = api_client_for(w.wang.user)
    counts = {}
    for size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = desk.get(f"/api/v1/tickets/?page_size={size}&state=all")
        assert response.status_code == 200 and len(response.json()["results"]) == size
        counts[size] = len(queries)
    assert counts[5] == counts[50], counts
    assert counts[50] <= 6  # token, staff, estates, count, page


def test_owner_list_runs_a_constant_number_of_queries(hy):
    w = hy.world
    for _ in range(12):
        new_repair(w)
    owner = api_client_for(w.chen_user)
    counts = []
    for size in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            assert len(owner.get(f"/api/v1/tickets/?page_size={size}").json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_detail_shows_version_clocks_allowed_actions_and_masks_the_phone(hy):
    w = hy.world
    t = new_repair(w, contact_phone="13912345678")
    desk_view = api_client_for(w.wang.user).get(url(t.id)).json()
    assert desk_view["version"] == t.version and desk_view["state"] == "new"
    assert desk_view["contact_phone"] == "139****5678" and "13912345678" not in str(desk_view)
    assert desk_view["clocks"]["ack_due_at"] is not None and desk_view["clocks"]["callback_due_at"] is None
    assert "dispatch" in desk_view["allowed_actions"] and "accept" not in desk_view["allowed_actions"]
    assert desk_view["first_contact_name"] == "王磊"
    assert [e["kind"] for e in desk_view["timeline"]] == ["created"]
    tech_view = api_client_for(w.li.user).get(url(t.id)).json()
    assert tech_view["allowed_actions"] == ["escalate"]  # not his job yet


# ---------------------------------------------------------------- isolation


TICKET_ACTIONS = [
    "dispatch",
    "accept",
    "decline",
    "arrive",
    "resolve",
    "hold",
    "resume",
    "escalate",
    "cancel",
    "close",
    "merge",
    "confirm",
    "send-code",
    "rate",
    "note",
    "materials",
]


def test_staff_of_another_estate_get_404_on_every_ticket_endpoint(hy, media):
    w = hy.world
    t = resolved(hy)
    callback = t.callbacks.get()
    before = snapshot(t)
    tower = api_client_for(w.zhao.user)
    assert tower.get(url(t.id)).status_code == 404
    assert tower.get(url(t.id, "suggestions")).status_code == 404
    for name in TICKET_ACTIONS:
        body = {"version": t.version, "assignee": w.zhao.id, "reason": "x", "work_done": "x", "code": "1", "text": "x"}
        assert tower.post(url(t.id, name), body, format="json").status_code == 404, name
    photo = upload("p.jpg", jpeg())
    assert tower.post(url(t.id, "photos"), {"image": photo, "stage": "after"}, format="multipart").status_code == 404
    record = {"outcome": "satisfied", "version": t.version}
    assert tower.post(f"/api/v1/callbacks/{callback.id}/record/", record, format="json").status_code == 404
    assert tower.get("/api/v1/tickets/?state=all").json()["count"] == 0
    assert tower.get("/api/v1/tickets/not-a-number/").status_code == 404
    assert tower.get("/api/v1/callbacks/").json()["count"] == 0
    assert snapshot(t) == before and stored_files(media) == []


def test_owners_see_only_the_tickets_they_reported(hy):
    w = hy.world
    mine = new_repair(w)
    neighbours = new_repair(w, unit=w.hy_3_1_0501, requester=w.zhou, description="卫生间吊顶渗水")
    owner = api_client_for(w.chen_user)
    assert [r["id"] for r in owner.get("/api/v1/tickets/?state=all").json()["results"]] == [mine.id]
    assert owner.get(url(mine.id)).status_code == 200
    assert owner.get(url(neighbours.id)).status_code == 404
    assert owner.post(url(neighbours.id, "note"), {"text": "x"}, format="json").status_code == 404
    assert owner.get(url(mine.id, "suggestions")).status_code == 403
    assert owner.get("/api/v1/callbacks/").status_code == 403  # an owner's estate is not their callback desk


def test_anonymous_requests_are_refused_with_401(hy):
    t = new_repair(hy.world)
    anonymous = APIClient()
    assert anonymous.get("/api/v1/tickets/").status_code == 401
    assert anonymous.get(url(t.id)).status_code == 401
    assert anonymous.post(url(t.id, "accept"), {"version": 1}, format="json").status_code == 401
    assert anonymous.post("/api/v1/tickets/", {}, format="json").status_code == 401
    assert anonymous.get("/api/v1/callbacks/").status_code == 401
    assert snapshot(t)[:2] == ("new", 1)


# ---------------------------------------------------------------- conflicts


def test_second_of_two_clerks_acting_on_the_same_version_gets_409_and_the_fresh_state(hy):
    w = hy.world
    t = new_repair(w)
    seen = api_client_for(w.wang.user).get(url(t.id)).json()["version"]
    first = api_client_for(w.wang.user).post(url(t.id, "dispatch"), {"version": seen, "assignee": w.li.id})
    second = api_client_for(hy.liaison.user).post(url(t.id, "dispatch"), {"version": seen, "assignee": hy.tech2.id})
    assert first.status_code == 200
    assert second.status_code == 409
    body = second.json()
    assert "已被他人更新" in body["detail"]
    assert body["ticket"]["state"] == "assigned" and body["ticket"]["assignee"] == w.li.id
    assert body["ticket"]["version"] == seen + 1
    assert t.events.filter(action="dispatch").count() == 1
    t.refresh_from_db()
    assert t.assignee == w.li


def test_a_stale_callback_record_is_a_conflict_and_records_nothing(hy):
    w = hy.world
    t = resolved(hy)
    callback = t.callbacks.get()
    before = snapshot(t)
    response = api_client_for(w.wang.user).post(
        f"/api/v1/callbacks/{callback.id}/record/", {"outcome": "satisfied", "version": t.version - 1}, format="json"
    )
    assert response.status_code == 409 and response.json()["ticket"]["state"] == "resolved"
    callback.refresh_from_db()
    assert callback.outcome == "pending" and snapshot(t) == before


# ---------------------------------------------------------------- refusals change nothing


def _complaint_resolved(hy) -> Ticket:
    return resolved(hy, request_type="complaint", category="noise", description="楼下商铺每晚放音乐到十二点")


def _new(hy) -> Ticket:
    return new_repair(hy.world)


def _assigned_to_tech2(hy) -> Ticket:
    w = hy.world
    t = new_repair(w)
    return ticket_dispatch(ticket=t, assignee=hy.tech2, user=w.wang.user, version=t.version, channel="page")


@pytest.mark.parametrize(
    ("who", "name", "setup", "status", "message"),
    [
        ("sup", "accept", _new, 400, "不能执行"),  # nobody was dispatched yet
        ("wang", "resolve", _new, 400, "不能执行"),  # a repair is not resolved from the queue
        ("wang", "resume", _new, 400, "不能执行"),  # it was never on hold
        ("wang", "confirm", _new, 400, "不能执行"),  # nothing to confirm yet
        ("wang", "rate", _new, 400, "完成后才能评价"),
        ("wang", "close", _complaint_resolved, 400, "回访满意"),  # 投诉须回访满意后才能关闭
        ("li", "dispatch", _new, 403, "岗位"),  # technicians do not dispatch
        ("chen", "dispatch", _new, 403, "岗位"),  # nor do owners
        ("li", "accept", _assigned_to_tech2, 403, "岗位"),  # someone else's job
        ("chen", "materials", _new, 403, ""),  # the store issues parts to staff only
        ("chen", "note", _new, 403, ""),
    ],
)
def test_refused_action_answers_clearly_and_changes_nothing(hy, who, name, setup, status, message):
    w = hy.world
    users = {"sup": hy.sup.user, "wang": w.wang.user, "li": w.li.user, "chen": w.chen_user}
    t = setup(hy)
    before = snapshot(t)
    body = {
        "version": t.version,
        "assignee": w.li.id,
        "work_done": "已处理",
        "code": "123456",
        "speed": 5,
        "professionalism": 5,
        "attitude": 5,
        "item": "水管",
        "quantity": "1",
        "text": "备注",
    }
    response = api_client_for(users[who]).post(url(t.id, name), body, format="json")
    assert response.status_code == status, response.content.decode()
    assert message in response.json()["detail"]
    assert snapshot(t) == before


def test_dispatch_to_staff_of_another_estate_is_400_and_changes_nothing(hy):
    w = hy.world
    t = new_repair(w)
    before = snapshot(t)
    desk = api_client_for(w.wang.user)
    response = desk.post(url(t.id, "dispatch"), {"version": t.version, "assignee": w.zhao.id}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()
    response = desk.post(url(t.id, "merge"), {"version": t.version, "into": "HQ-20261123-0001"}, format="json")
    assert response.status_code == 400 and "into" in response.json()
    response = desk.post(url(t.id, "hold"), {"version": t.version, "reason": "   "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert snapshot(t) == before


def test_merge_takes_a_ticket_number(hy):
    w = hy.world
    keep, dup = new_repair(w), new_repair(w)
    t = act(api_client_for(w.wang.user), dup.id, "merge", version=dup.version, into=keep.number)
    assert t["state"] == "merged" and t["merged_into_number"] == keep.number


# ---------------------------------------------------------------- uploads


BAD_UPLOADS = {
    "text-renamed-jpg": ("leak.jpg", b"this is a shopping list, not a photo\n" * 20, "image/jpeg", "不是有效的图片"),
    "truncated-png": ("half.png", png((400, 300))[:300], "image/png", "不是有效的图片"),
    "pdf": (
        "invoice.jpg",
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n",
        "image/jpeg",
        "不是有效的图片",
    ),
    "too-large": ("big.jpg", None, "image/jpeg", "图片不能超过"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_bad_photo_upload_is_400_and_stores_nothing(hy, media, settings, case):
    name, data, content_type, message = BAD_UPLOADS[case]
    if data is None:
        settings.GUANJIA_MAX_UPLOAD_BYTES = 4096
        data = jpeg(size=(400, 300), noise=True)
        assert len(data) > 4096
    w = hy.world
    t = new_repair(w)
    before = snapshot(t)
    response = api_client_for(w.li.user).post(
        url(t.id, "photos"), {"image": upload(name, data, content_type), "stage": "before"}, format="multipart"
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["image"])
    assert snapshot(t) == before
    assert Photo.objects.count() == 0 and stored_files(media) == []


def test_bad_signature_is_400_and_the_ticket_stays_resolved(hy, media):
    w = hy.world
    t = resolved(hy)
    before = snapshot(t)
    fake = upload("sign.png", b"not really a png", "image/png")
    response = api_client_for(w.li.user).post(
        url(t.id, "confirm"), {"version": t.version, "signature": fake}, format="multipart"
    )
    assert response.status_code == 400 and "signature" in response.json()
    assert snapshot(t) == before and stored_files(media) == []


def test_photo_with_unknown_stage_is_400(hy, media):
    w = hy.world
    t = new_repair(w)
    response = api_client_for(w.li.user).post(
        url(t.id, "photos"), {"image": upload("a.jpg", jpeg()), "stage": "during"}, format="multipart"
    )
    assert response.status_code == 400 and "stage" in response.json()
    assert stored_files(media) == []


def test_photo_is_stored_without_its_gps_position(hy, media):
    w = hy.world
    t = new_repair(w)
    original = jpeg(gps=True)
    assert GPS_IFD in Image.open(io.BytesIO(original)).getexif()  # the phone did write it
    response = api_client_for(w.chen_user).post(
        url(t.id, "photos"), {"image": upload("IMG_0001.jpg", original), "stage": "reported"}, format="multipart"
    )
    assert response.status_code == 201, response.content.decode()
    photo = Photo.objects.get(ticket=t)
    assert photo.uploaded_by == w.chen_user
    with photo.image.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
        assert stored.format == "JPEG" and stored.size == (64, 48)
        exif = stored.getexif()
    assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD)
    assert t.events.filter(kind=Event.Kind.PHOTO).count() == 1


# ---------------------------------------------------------------- creating tickets


def test_front_desk_logs_a_hotline_call_by_unit_code(hy):
    w = hy.world
    response = api_client_for(w.wang.user).post(
        "/api/v1/tickets/",
        {
            "estate": w.hy.id,
            "unit_code": "3栋2单元1102",
            "requester": w.chen.id,
            "request_type": "repair",
            "category": "electrical",
            "urgency": "urgent",
            "description": "客厅跳闸，全屋没电",
            "contact_name": "陈女士",
            "contact_phone": "+86 139-1234-0001",
            "channel": "hotline",
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    t = response.json()
    assert (t["unit_code"], t["channel"], t["urgency"]) == ("3-2-1102", "hotline", "urgent")
    assert t["first_contact_name"] == "王磊" and t["contact_phone"] == "139****0001"
    ticket = Ticket.objects.get(pk=t["id"])
    assert ticket.contact_phone == "+8613912340001" and ticket.requester == w.chen


CREATE_BASE = {"request_type": "repair", "category": "water", "description": "水管漏水"}


@pytest.mark.parametrize(
    ("who", "body", "field"),
    [
        ("wang", {"description": ""}, "description"),
        ("wang", {"description": None}, "description"),
        ("wang", {"category": "plumbing"}, "category"),
        ("wang", {"request_type": "wish"}, "request_type"),
        ("wang", {"urgency": "asap"}, "urgency"),
        ("wang", {"channel": "telepathy"}, "channel"),
        ("wang", {"unit_code": "9-9-9999"}, "unit_code"),
        ("wang", {"unit": "t1_2305"}, "unit"),  # another estate's unit
        ("wang", {"requester": "hq_tenant"}, "requester"),  # another estate's resident
        ("wang", {"contact_phone": "12345"}, "contact_phone"),
        ("wang", {"estate": None}, "estate"),
        ("zhao", {}, "estate"),  # 赵敏 cannot file into HY
        ("chen", {"unit": "hy_3_1_0501"}, "unit"),  # the neighbour's flat
        ("chen", {"unit": "t1_2305"}, "unit"),
        ("chen", {"unit": None}, "unit"),
    ],
)
def test_bad_ticket_input_is_400_and_creates_nothing(hy, who, body, field):
    w = hy.world
    users = {"wang": w.wang.user, "zhao": w.zhao.user, "chen": w.chen_user}
    data = {**CREATE_BASE, "estate": w.hy.id, "unit": w.hy_3_2_1102.id}
    for key, value in body.items():
        if value is None:
            data.pop(key)
        elif key in ("unit", "requester") and isinstance(value, str):
            data[key] = getattr(w, value).id
        else:
            data[key] = value
    response = api_client_for(users[who]).post("/api/v1/tickets/", data, format="json")
    assert response.status_code == 400, response.content.decode()
    assert field in response.json(), response.json()
    assert Ticket.objects.count() == 0 and Event.objects.count() == 0


def test_owner_ticket_ignores_staff_only_fields(hy):
    w = hy.world
    body = {**CREATE_BASE, "unit": w.hy_3_2_1102.id, "channel": "hotline", "sensitive": True}
    response = api_client_for(w.chen_user).post("/api/v1/tickets/", body, format="json")
    assert response.status_code == 201
    t = response.json()
    assert t["channel"] == "app" and t["sensitive"] is False and t["state"] == "new"


# ---------------------------------------------------------------- confirmation code, callbacks


def test_owner_confirms_with_the_code_sent_by_sms(hy):
    w = hy.world
    t = resolved(hy)
    tech, owner = api_client_for(w.li.user), api_client_for(w.chen_user)
    sent = act(tech, t.id, "send-code")
    sms = Notification.objects.get(template="confirm_code", ticket=t)
    code = re.search(r"确认码 (\d{6})", sms.body)[1]
    assert code not in str(sent) and sms.address == "+8613812345678"
    wrong = owner.post(url(t.id, "confirm"), {"version": t.version, "code": "000000"}, format="json")
    assert wrong.status_code == 400 and "code" in wrong.json()
    confirmed = act(owner, t.id, "confirm", version=t.version, code=code)
    assert confirmed["state"] == "confirmed"


def test_not_satisfied_callback_sends_the_job_back_to_the_technician(hy):
    w = hy.world
    t = resolved(hy)
    callback = t.callbacks.get()
    response = api_client_for(w.wang.user).post(
        f"/api/v1/callbacks/{callback.id}/record/",
        {"outcome": "not_satisfied", "notes": "还在滴水", "version": t.version},
        format="json",
    )
    assert response.status_code == 200, response.content.decode()
    ticket = response.json()
    assert ticket["state"] == "assigned" and ticket["flagged"] and ticket["assignee"] == w.li.id


def test_only_desk_roles_record_callbacks(hy):
    w = hy.world
    t = resolved(hy)
    callback = t.callbacks.get()
    before = snapshot(t)
    response = api_client_for(w.li.user).post(
        f"/api/v1/callbacks/{callback.id}/record/", {"outcome": "unreachable", "version": t.version}, format="json"
    )
    assert response.status_code == 403
    callback.refresh_from_db()
    assert callback.outcome == "pending" and snapshot(t) == before


def test_materials_and_notes_append_to_the_timeline(hy):
    w = hy.world
    t = new_repair(w)
    tech = api_client_for(w.li.user)
    bad = tech.post(url(t.id, "materials"), {"item": "阀门", "quantity": "0"}, format="json")
    assert bad.status_code == 400 and "quantity" in bad.json()
    act(tech, t.id, "materials", 201, item="角阀", quantity="1.5", unit_of_measure="个")
    act(tech, t.id, "note", 201, text="业主下午三点后在家")
    assert MaterialRequest.objects.get(ticket=t).quantity == Decimal("1.50")
    assert list(t.events.values_list("kind", flat=True)) == ["created", "material", "note"]


# ---------------------------------------------------------------- the schema


def test_schema_documents_the_ticket_api_and_the_docs_page_renders(db):
    client = APIClient()
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/tickets/" in paths and "/api/v1/tickets/{id}/dispatch/" in paths
    assert "/api/v1/callbacks/{id}/record/" in paths
    dispatch = paths["/api/v1/tickets/{id}/dispatch/"]["post"]
    assert "409" in dispatch["responses"] and "requestBody" in dispatch
    assert "multipart/form-data" in paths["/api/v1/tickets/{id}/photos/"]["post"]["requestBody"]["content"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_detail_due_times_are_the_service_promise(hy):
    """A normal repair reported at MONDAY_9 is due resolved 72 hours later."""
    t = new_repair(hy.world)
    data = api_client_for(hy.world.wang.user).get(url(t.id)).json()
    assert data["clocks"]["resolve_due_at"].startswith((MONDAY_9 + timedelta(hours=72)).date().isoformat())
