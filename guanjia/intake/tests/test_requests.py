"""Every door ends in the same work order, classified and routed; nothing lost, nothing doubled."""

from datetime import timedelta

import pytest

from guanjia.conftest import api_client_for, make_unit
from guanjia.notify.models import Notification
from guanjia.people.services import resident_create
from guanjia.tickets.models import State, Ticket
from guanjia.tickets.services import ticket_accept, ticket_arrive, ticket_dispatch, ticket_resolve
from guanjia.tickets.tests.conftest import MONDAY_9

pytestmark = pytest.mark.django_db


def submit(api, unit, text, key):
    return api.post("/api/v1/requests/", {"unit": unit.id, "text": text}, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_owner_request_lands_in_the_right_queue_with_the_right_clock(hy):
    api = api_client_for(hy.world.chen_user)
    response = submit(api, hy.world.hy_3_2_1102, "卫生间水管爆了，水一直往外冒", "k-1")
    assert response.status_code == 201
    ticket = Ticket.objects.get(number=response.json()["number"])
    assert (ticket.request_type, ticket.category, ticket.urgency) == ("repair", "water", "emergency")
    assert ticket.department.kind == "engineering" and ticket.requester == hy.world.chen
    assert ticket.arrive_due_at == MONDAY_9 + timedelta(minutes=30)


def test_retried_submit_returns_the_first_ticket(hy):
    api = api_client_for(hy.world.chen_user)
    first = submit(api, hy.world.hy_3_2_1102, "客厅的灯不亮了", "retry-7")
    again = submit(api, hy.world.hy_3_2_1102, "客厅的灯不亮了", "retry-7")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    assert Ticket.objects.count() == 1


def test_missing_idempotency_key_is_400_and_creates_nothing(hy):
    api = api_client_for(hy.world.chen_user)
    response = api.post("/api/v1/requests/", {"unit": hy.world.hy_3_2_1102.id, "text": "灯不亮"}, format="json")
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_owner_cannot_report_for_someone_elses_unit(hy):
    api = api_client_for(hy.world.chen_user)
    assert submit(api, hy.world.hy_3_1_0501, "门口灯坏了", "k-2").status_code == 404
    assert submit(api, hy.world.t1_2305, "空调不制冷", "k-3").status_code == 404
    assert Ticket.objects.count() == 0


def test_same_unit_same_problem_becomes_a_follow_up(hy, clock):
    api = api_client_for(hy.world.chen_user)
    first = submit(api, hy.world.hy_3_2_1102, "厨房下水道堵了", "a")
    clock.shift(timedelta(minutes=30))
    second = submit(api, hy.world.hy_3_2_1102, "下水道还是堵着，怎么还没人来", "b")
    assert second.status_code == 200 and second.json()["number"] == first.json()["number"]
    assert second.json()["created"] is False
    ticket = Ticket.objects.get()
    assert ticket.events.filter(detail__follow_up=True).count() == 1


def test_after_the_window_the_same_problem_is_a_new_ticket(hy, clock):
    api = api_client_for(hy.world.chen_user)
    submit(api, hy.world.hy_3_2_1102, "厨房下水道堵了", "a")
    clock.shift(timedelta(hours=5))
    submit(api, hy.world.hy_3_2_1102, "厨房下水道又堵了", "b")
    assert Ticket.objects.count() == 2


def test_many_units_reporting_the_lift_are_grouped_and_all_told_when_it_is_fixed(hy):
    w = hy.world
    b3 = w.hy_3_2_1102.building
    neighbours = []
    for n, phone in [("0801", "13700000001"), ("1501", "13700000002")]:
        unit = make_unit(b3, entrance="2", number=n, floor=int(n[:2]))
        neighbours.append(resident_create(estate=w.hy, name=f"邻居{n}", phone=phone, unit=unit))
    from guanjia.intake.services import request_intake

    outcomes = [
        request_intake(
            estate=w.hy,
            text="3栋2单元电梯坏了，一直停在一楼不动",
            channel="hotline",
            user=w.wang.user,
            requester=r,
            unit=r.occupancies.get().unit,
        )
        for r in [w.chen, *neighbours]
    ]
    parents = set(Ticket.objects.filter(pk__in=[o.ticket.pk for o in outcomes]).values_list("parent", flat=True))
    assert len(parents) == 1 and None not in parents
    parent = Ticket.objects.get(pk=parents.pop())
    assert parent.children.count() == 3 and parent.category == "elevator"
    parent = ticket_dispatch(ticket=parent, assignee=hy.tech2, user=w.wang.user, version=parent.version, channel="page")
    parent = ticket_accept(ticket=parent, user=hy.tech2.user, version=parent.version, channel="app")
    parent = ticket_arrive(ticket=parent, user=hy.tech2.user, version=parent.version, channel="app")
    ticket_resolve(ticket=parent, user=hy.tech2.user, version=parent.version, channel="app", work_done="更换门机板")
    assert set(parent.children.values_list("state", flat=True)) == {State.RESOLVED}
    told = Notification.objects.filter(template="ticket_resolved", ticket__parent=parent)
    assert told.count() == 3  # 陈静 in the app, the two neighbours by SMS


def test_hotline_transcript_becomes_a_ticket_once_per_call(hy):
    api = api_client_for(hy.world.wang.user)
    body = {
        "estate": hy.world.hy.id,
        "call_id": "C-889",
        "caller": "13812345678",
        "transcript": "喂 那个 就是 我家 卫生间 的 水管 好像 漏水 了 嗯 麻烦 派个 师傅",
    }
    first = api.post("/api/v1/hotline/transcripts/", body, format="json")
    again = api.post("/api/v1/hotline/transcripts/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.requester, ticket.unit, ticket.category) == (
        "hotline",
        hy.world.chen,
        hy.world.hy_3_2_1102,
        "water",
    )


def test_hotline_customer_card_shows_the_caller(hy, client):
    client.force_login(hy.world.wang.user)
    page = client.get("/intake/hotline/", {"phone": "138 1234 5678"}).content.decode()
    assert "陈静" in page and "3-2-1102" in page and "陈小明" in page and "138****5678" in page


def test_hotline_card_never_shows_another_estates_resident(hy, client):
    client.force_login(hy.world.zhao.user)
    page = client.get("/intake/hotline/", {"phone": "13812345678"}).content.decode()
    assert "陈静" not in page and "未登记的号码" in page


def test_walk_in_quick_entry_needs_only_a_unit_and_the_words(hy, client):
    client.force_login(hy.world.wang.user)
    response = client.post("/intake/submit/", {"unit": "3-2-1102", "text": "楼上装修噪音太大，中午都不停"})
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.unit, ticket.first_contact) == ("front_desk", hy.world.hy_3_2_1102, hy.world.wang)
    assert ticket.request_type == "complaint"


def test_walk_in_with_an_unknown_unit_creates_nothing(hy, client):
    client.force_login(hy.world.wang.user)
    response = client.post("/intake/submit/", {"unit": "9-9-9999", "text": "灯坏了"})
    assert response.status_code == 400 and "找不到房屋" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_sensitive_message_goes_to_the_supervisor_at_once(hy, client):
    client.force_login(hy.world.wang.user)
    client.post(
        "/intake/submit/", {"unit": "3-2-1102", "text": "垃圾堆了一周没人管，再不处理我就打12345投诉，还要发抖音曝光"}
    )
    ticket = Ticket.objects.get()
    assert ticket.sensitive and ticket.state == State.ESCALATED
    assert Notification.objects.filter(recipient=hy.sup.user, template="sensitive_ticket").exists()
