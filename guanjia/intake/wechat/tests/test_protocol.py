"""The endpoint speaks the platform's protocol: URL verification, and refusing anything not signed or not XML
without storing a thing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from guanjia.intake.wechat.models import Follower, InboundMessage
from guanjia.intake.wechat.tests.conftest import payload
from guanjia.notify.models import Notification
from guanjia.tickets.models import Ticket


def assert_nothing_stored() -> None:
    assert InboundMessage.objects.count() == 0
    assert Follower.objects.count() == 0
    assert Ticket.objects.count() == 0
    assert Notification.objects.count() == 0


def test_the_endpoint_lives_at_channels_wechat_estate_code(platform):
    assert platform.path == "/channels/wechat/HY/"


def test_url_verification_echoes_echostr_on_a_valid_signature(platform):
    response = platform.verify("6832971524883491283")

    assert response.status_code == 200
    assert response.content == b"6832971524883491283"


def test_url_verification_with_a_wrong_token_is_403(platform):
    response = platform.verify("6832971524883491283", token="NotOurToken1")

    assert response.status_code == 403
    assert b"6832971524883491283" not in response.content


def test_a_correctly_signed_but_stale_request_is_403(platform, chen_follower):
    ten_minutes_ago = str(int((timezone.now() - timedelta(minutes=10)).timestamp()))

    response = platform.push(payload("text_repair.xml"), timestamp=ten_minutes_ago)

    assert response.status_code == 403
    assert Ticket.objects.count() == 0


def test_a_message_with_a_bad_signature_is_403_and_nothing_is_stored(platform):
    response = platform.push(payload("text_repair.xml"), token="NotOurToken1")

    assert response.status_code == 403
    assert_nothing_stored()


def test_a_message_without_signature_is_403_and_nothing_is_stored(platform):
    response = platform.post(payload("text_repair.xml"), {"openid": "oHy8Q6Zp3cK1eWm0rJxV2sTn4uLA"})

    assert response.status_code == 403
    assert_nothing_stored()


def test_malformed_xml_is_400_and_nothing_is_stored(platform):
    response = platform.push(payload("malformed.xml"))

    assert response.status_code == 400
    assert_nothing_stored()


def test_xml_that_is_not_a_message_is_400_and_nothing_is_stored(platform):
    response = platform.push("<xml><ToUserName><![CDATA[gh_3a9f2c71d0e8]]></ToUserName></xml>")

    assert response.status_code == 400
    assert_nothing_stored()


def test_xml_entity_expansion_is_refused_with_400(platform):
    response = platform.push(payload("entity_expansion.xml"))

    assert response.status_code == 400
    assert_nothing_stored()


def test_an_estate_without_an_account_is_404(platform, client):
    response = client.get("/channels/wechat/HQ/", platform.query(echostr="1"))

    assert response.status_code == 404


def test_a_disabled_account_is_404(platform, account):
    account.active = False
    account.save()

    assert platform.verify("6832971524883491283").status_code == 404
