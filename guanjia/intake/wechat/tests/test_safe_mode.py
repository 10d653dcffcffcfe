"""Safe mode (安全模式): messages arrive AES-encrypted under the account's EncodingAESKey, and so do our replies."""

from __future__ import annotations

from wechatpy.crypto import WeChatCrypto

from guanjia.intake.wechat.models import Follower, InboundMessage
from guanjia.intake.wechat.tests.conftest import NONCE, OPENID, OTHER_AES_KEY, envelope_fields, payload
from guanjia.tickets.models import Ticket


def test_an_encrypted_message_becomes_a_ticket_and_the_encrypted_reply_decrypts_to_its_number(
    safe_account, platform, chen_follower, hy
):
    response = platform.push(payload("text_repair.xml"))

    ticket = Ticket.objects.get()
    assert ticket.channel == "wechat"
    assert ticket.requester == hy.world.chen
    assert b"<Encrypt>" in response.content
    assert ticket.number.encode() not in response.content  # nothing readable on the wire
    reply = platform.reply(response)  # WeChatCrypto.decrypt_message checks MsgSignature and our AppID
    assert ticket.number in reply.content
    assert reply.target == OPENID
    assert InboundMessage.objects.get().encrypted


def test_url_verification_in_safe_mode_still_echoes(safe_account, platform):
    response = platform.verify("1839274650")

    assert response.status_code == 200
    assert response.content == b"1839274650"


def test_a_plaintext_message_to_a_safe_mode_account_is_400_and_nothing_is_stored(safe_account, client, chen_follower):
    from guanjia.intake.wechat.tests.conftest import Platform

    plain = Platform(client, safe_account)
    response = plain.post(payload("text_repair.xml"), plain.query(openid=OPENID))

    assert response.status_code == 400
    assert Ticket.objects.count() == 0
    assert InboundMessage.objects.count() == 0


def test_a_wrong_msg_signature_is_403_and_nothing_is_stored(safe_account, platform):
    params = platform.query(openid=OPENID, encrypt_type="aes")
    envelope = envelope_fields(platform.crypto.encrypt_message(payload("text_repair.xml"), NONCE, params["timestamp"]))
    body = f"<xml><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"

    response = platform.post(body, {**params, "msg_signature": "0" * 40})

    assert response.status_code == 403
    assert Ticket.objects.count() == InboundMessage.objects.count() == Follower.objects.count() == 0


def test_a_message_encrypted_under_another_key_is_400_and_nothing_is_stored(safe_account, platform):
    params = platform.query(openid=OPENID, encrypt_type="aes")
    stranger = WeChatCrypto(safe_account.token, OTHER_AES_KEY, safe_account.app_id)
    envelope = envelope_fields(stranger.encrypt_message(payload("text_repair.xml"), NONCE, params["timestamp"]))
    body = f"<xml><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"

    response = platform.post(body, {**params, "msg_signature": envelope["MsgSignature"]})

    assert response.status_code == 400
    assert Ticket.objects.count() == InboundMessage.objects.count() == Follower.objects.count() == 0


def test_a_message_for_another_app_id_is_400(safe_account, platform):
    params = platform.query(openid=OPENID, encrypt_type="aes")
    other_app = WeChatCrypto(safe_account.token, safe_account.encoding_aes_key, "wx0000000000000000")
    envelope = envelope_fields(other_app.encrypt_message(payload("text_repair.xml"), NONCE, params["timestamp"]))
    body = f"<xml><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"

    response = platform.post(body, {**params, "msg_signature": envelope["MsgSignature"]})

    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_a_malformed_envelope_is_400(safe_account, platform):
    response = platform.post("<xml><Encrypt>", platform.query(openid=OPENID, encrypt_type="aes", msg_signature="x"))

    assert response.status_code == 400
    assert InboundMessage.objects.count() == 0
