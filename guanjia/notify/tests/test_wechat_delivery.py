"""WeChat template messages reach the platform through wechatpy, against a loopback platform."""

from __future__ import annotations

from datetime import timedelta

import pytest

from guanjia.conftest import new_repair
from guanjia.notify.models import Notification
from guanjia.notify.services import notification_add, notifications_deliver
from guanjia.notify.tests.conftest import WECHAT_TEMPLATE_ID

CHEN_OPENID = "oX7Rd5qJt0c8Hn1pZ2aB3cD4eF5g"  # 陈静 follows 和悦家园's account


def progress_notice(world, ticket=None, openid: str = CHEN_OPENID) -> Notification:
    return notification_add(
        estate=world.hy,
        channel=Notification.Channel.WECHAT,
        address=openid,
        template="ticket_resolved",
        body="您报修的厨房水管漏水已处理完毕。",
        ticket=ticket,
    )


@pytest.mark.django_db
def test_template_message_reaches_the_follower_with_the_ticket_number(hy, wechat_platform):
    ticket = new_repair(hy.world)
    notice = progress_notice(hy.world, ticket)

    assert notifications_deliver().sent == 1

    token_request = wechat_platform.received[0]
    assert token_request.path == "/cgi-bin/token"
    assert token_request.query["appid"] == ["wx5f3c2a1b9d8e7f60"] and token_request.query["secret"] == ["s3cr3t"]
    [send] = wechat_platform.sends
    assert send.query["access_token"] == ["TOKEN-1"]
    assert send.body["touser"] == CHEN_OPENID
    assert send.body["template_id"] == WECHAT_TEMPLATE_ID
    assert send.body["data"]["keyword1"]["value"] == ticket.number
    assert send.body["data"]["keyword2"]["value"] == str(ticket.get_state_display())
    assert send.body["data"]["first"]["value"] == "您报修的厨房水管漏水已处理完毕。"
    notice.refresh_from_db()
    assert notice.status == Notification.Status.SENT


@pytest.mark.django_db
def test_the_access_token_is_fetched_once_for_many_messages(world, clock, wechat_platform):
    progress_notice(world)
    progress_notice(world, openid="oX7Rd5qJt0c8Hn1pZ2aB3cD4eF5h")

    assert notifications_deliver().sent == 2

    assert wechat_platform.tokens_issued == 1


@pytest.mark.django_db
def test_invalid_openid_fails_the_message_with_the_platforms_reason(world, clock, wechat_platform):
    notice = progress_notice(world, openid="not-a-follower")
    wechat_platform.answers = [(200, {"errcode": 40003, "errmsg": "invalid openid rid: 6561d1b2-0c5f"})]

    assert notifications_deliver().failed == 1

    notice.refresh_from_db()
    assert notice.status == Notification.Status.FAILED
    assert "40003" in notice.last_error and "invalid openid" in notice.last_error


@pytest.mark.django_db
def test_expired_token_is_fetched_again_and_the_message_sent(world, clock, wechat_platform):
    notice = progress_notice(world)
    wechat_platform.answers = [(200, {"errcode": 42001, "errmsg": "access_token expired"})]

    assert notifications_deliver().sent == 1

    assert wechat_platform.tokens_issued == 2
    assert [s.query["access_token"] for s in wechat_platform.sends] == [["TOKEN-1"], ["TOKEN-2"]]
    notice.refresh_from_db()
    assert notice.status == Notification.Status.SENT


@pytest.mark.django_db
def test_token_still_refused_after_a_fresh_fetch_is_retried_later(world, clock, wechat_platform):
    notice = progress_notice(world)
    wechat_platform.answers = [(200, {"errcode": 40001, "errmsg": "invalid credential"})] * 2

    assert notifications_deliver().retrying == 1
    notice.refresh_from_db()
    assert notice.status == Notification.Status.PENDING and "40001" in notice.last_error

    clock.shift(timedelta(minutes=1))
    assert notifications_deliver().sent == 1


@pytest.mark.django_db
def test_platform_down_is_retried(world, clock, wechat_platform):
    notice = progress_notice(world)
    wechat_platform.answers = [(502, {})]

    assert notifications_deliver().retrying == 1

    notice.refresh_from_db()
    assert notice.status == Notification.Status.PENDING and "HTTP 502" in notice.last_error


@pytest.mark.django_db
def test_estate_without_an_official_account_keeps_the_message_pending(world, clock, settings):
    settings.GUANJIA_WECHAT_TEMPLATE_ID = "tpl"
    notice = progress_notice(world)

    assert notifications_deliver().waiting == 1

    notice.refresh_from_db()
    assert notice.status == Notification.Status.PENDING and notice.attempts == 0
    assert "公众号" in notice.last_error
