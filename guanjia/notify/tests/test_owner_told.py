"""The person who reported a ticket hears how it stands where they will see it: app, WeChat, or SMS."""

from __future__ import annotations

import pytest
from django.utils import timezone

from guanjia.conftest import new_repair
from guanjia.intake.wechat.models import Follower, WechatAccount
from guanjia.notify.models import Notification
from guanjia.notify.services import notifications_deliver
from guanjia.people.services import resident_create
from guanjia.tickets.services import ticket_accept, ticket_arrive, ticket_dispatch, ticket_resolve

pytestmark = pytest.mark.django_db
CHEN_OPENID = "oX7Rd5qJt0c8Hn1pZ2aB3cD4eF5g"


def follow(resident, estate, *, openid=CHEN_OPENID, subscribed=True) -> Follower:
    now = timezone.now()
    return Follower.objects.create(
        estate=estate,
        account=WechatAccount.objects.get(estate=estate),
        openid=openid,
        resident=resident,
        bound_at=now,
        first_seen_at=now,
        subscribed=subscribed,
    )


def dispatch_and_resolve(hy, ticket):
    ticket = ticket_dispatch(
        ticket=ticket, assignee=hy.world.li, user=hy.world.wang.user, version=ticket.version, channel="page"
    )
    ticket = ticket_accept(ticket=ticket, user=hy.world.li.user, version=ticket.version, channel="app")
    ticket = ticket_arrive(ticket=ticket, user=hy.world.li.user, version=ticket.version, channel="app")
    return ticket_resolve(
        ticket=ticket, user=hy.world.li.user, version=ticket.version, channel="app", work_done="换阀门"
    )


def owner_notices(ticket):
    return list(
        Notification.objects.filter(ticket=ticket, template__in=["ticket_dispatched_owner", "ticket_resolved"])
        .order_by("pk")
        .values_list("channel", "template")
    )


def test_a_wechat_follower_hears_of_dispatch_and_resolution_on_wechat_and_in_the_app(hy, wechat_platform):
    follow(hy.world.chen, hy.world.hy)
    ticket = dispatch_and_resolve(hy, new_repair(hy.world))

    assert owner_notices(ticket) == [
        ("in_app", "ticket_dispatched_owner"),
        ("wechat", "ticket_dispatched_owner"),
        ("in_app", "ticket_resolved"),
        ("wechat", "ticket_resolved"),
    ]
    notifications_deliver()
    firsts = [s.body["data"]["first"]["value"] for s in wechat_platform.sends]
    assert firsts == [f"您的报事 {ticket.number} 已安排李强处理", f"您的报事 {ticket.number} 已处理完成，请确认并评价"]
    assert {s.body["touser"] for s in wechat_platform.sends} == {CHEN_OPENID}


def test_an_unsubscribed_follower_is_not_messaged_on_wechat(hy, wechat_platform):
    follow(hy.world.chen, hy.world.hy, subscribed=False)
    ticket = dispatch_and_resolve(hy, new_repair(hy.world))
    assert {channel for channel, _ in owner_notices(ticket)} == {"in_app"}


def test_an_owner_with_neither_app_nor_wechat_gets_an_sms(hy):
    unit = hy.world.hy_3_2_1102
    caller = resident_create(estate=hy.world.hy, name="孙阿姨", phone="13700000009", unit=unit)
    ticket = dispatch_and_resolve(hy, new_repair(hy.world, requester=caller, contact_phone="+8613700000009"))
    notices = Notification.objects.filter(ticket=ticket, template="ticket_resolved")
    assert list(notices.values_list("channel", "address")) == [("sms", "+8613700000009")]
