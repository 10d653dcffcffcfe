"""A follower binds to a resident of this estate by phone plus the code we text to that phone."""

from __future__ import annotations

import re
from datetime import timedelta

from guanjia.intake.wechat.models import Follower, InboundMessage
from guanjia.intake.wechat.tests.conftest import OPENID, payload
from guanjia.notify.models import Notification
from guanjia.tickets.models import Ticket


def say(platform, text: str, msg_id: int):
    return platform.reply(platform.push(payload("text_bind.xml", Content=text, MsgId=str(msg_id))))


def sms_code(phone: str) -> str:
    sms = Notification.objects.filter(channel="sms", address=phone, template="wechat_bind_code").latest("pk")
    return re.search(r"验证码 (\d{6})", sms.body).group(1)


def test_subscribing_is_welcomed_with_how_to_bind(platform):
    reply = platform.reply(platform.push(payload("event_subscribe.xml")))

    assert "欢迎关注「和悦家园」" in reply.content
    assert "绑定 手机号" in reply.content
    assert Follower.objects.get(openid=OPENID).resident is None


def test_an_owner_binds_with_the_phone_on_file_and_the_code_sent_to_it(platform, hy):
    platform.push(payload("event_subscribe.xml"))

    asked = platform.reply(platform.push(payload("text_bind.xml")))  # "绑定 138 1234 5678"
    assert "验证码已通过短信发送" in asked.content
    code = sms_code("+8613812345678")
    done = say(platform, code, 1001)

    assert "绑定成功" in done.content and "陈静" in done.content
    follower = Follower.objects.get(openid=OPENID)
    assert follower.resident == hy.world.chen
    assert follower.bound_at is not None
    assert follower.code_digest == "" and follower.pending_phone == ""


def test_phone_and_code_can_come_in_one_message(platform, hy):
    platform.push(payload("text_bind.xml"))
    code = sms_code("+8613812345678")

    done = say(platform, f"绑定 13812345678 {code}", 1002)

    assert "绑定成功" in done.content
    assert Follower.objects.get().resident == hy.world.chen


def test_the_log_never_keeps_the_phone_or_the_code(platform, hy):
    platform.push(payload("text_bind.xml"))
    code = sms_code("+8613812345678")
    say(platform, code, 1003)

    logged = " ".join(InboundMessage.objects.values_list("content", flat=True))
    assert "13812345678" not in logged.replace(" ", "")
    assert code not in logged
    assert "138****5678" in logged


def test_an_unknown_phone_gets_the_same_answer_and_no_sms(platform, hy):
    known = platform.reply(platform.push(payload("text_bind.xml")))
    Follower.objects.update(code_sent_at=None)  # past the one-a-minute limit

    unknown = say(platform, "绑定 13700009999", 1004)

    assert unknown.content == known.content  # does not reveal who is on file
    assert not Notification.objects.filter(address="+8613700009999").exists()
    assert "验证码不正确" in say(platform, "123456", 1005).content
    assert Follower.objects.get().resident is None


def test_a_resident_of_another_estate_cannot_bind_here(platform, hy):
    say(platform, "绑定 18600001111", 1006)  # 陈国华 lives in 环球中心

    assert not Notification.objects.filter(address="+8618600001111").exists()
    assert Follower.objects.get().resident is None


def test_five_wrong_codes_lock_the_code(platform, hy):
    platform.push(payload("text_bind.xml"))
    code = sms_code("+8613812345678")
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(5):
        assert "验证码不正确" in say(platform, wrong, 1010 + attempt).content

    locked = say(platform, code, 1020)

    assert "验证码已失效" in locked.content
    assert Follower.objects.get().resident is None


def test_a_code_expires_after_ten_minutes(platform, hy, clock):
    platform.push(payload("text_bind.xml"))
    code = sms_code("+8613812345678")
    clock.shift(timedelta(minutes=11))

    assert "验证码已失效" in say(platform, code, 1030).content
    assert Follower.objects.get().resident is None


def test_codes_are_sent_at_most_once_a_minute(platform, hy):
    platform.push(payload("text_bind.xml"))

    again = say(platform, "绑定 13812345678", 1040)

    assert "1分钟后再试" in again.content
    assert Notification.objects.filter(address="+8613812345678").count() == 1


def test_a_bad_phone_number_is_explained(platform, hy):
    reply = say(platform, "绑定 12345", 1050)

    assert "手机号格式不正确" in reply.content
    assert Notification.objects.count() == 0


def test_an_unbound_follower_is_told_how_to_bind_and_nothing_is_created(platform, hy):
    reply = platform.reply(platform.push(payload("text_repair.xml")))

    assert "绑定 手机号" in reply.content
    assert Ticket.objects.count() == 0
    assert InboundMessage.objects.get().ticket is None


def test_unbinding_by_message_and_by_unsubscribing(platform, chen_follower):
    assert "已解除绑定" in say(platform, "解绑", 1060).content
    chen_follower.refresh_from_db()
    assert chen_follower.resident is None

    chen_follower.resident = chen_follower.estate.residents.get(name="陈静")
    chen_follower.save()
    response = platform.push(payload("event_unsubscribe.xml"))

    assert response.content == b"success"
    chen_follower.refresh_from_db()
    assert chen_follower.resident is None and not chen_follower.subscribed
