"""The WeChat platform, played by wechatpy: it signs (and in safe mode encrypts) recorded payloads
from fixtures/ and reads our replies back, exactly as the real server would.

Personas: 陈静 (world.chen) owns HY 3-2-1102 and follows the account as OPENID; 周建国 (world.zhou)
lives in 3-1-0501; 陈国华 (world.hq_tenant) lives in the other estate and must not bind to HY.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
import xmltodict
from django.urls import reverse
from django.utils import timezone
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.messages import BaseMessage
from wechatpy.utils import WeChatSigner

from guanjia.intake.wechat.models import Follower, WechatAccount

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "HeyueGuanjia2026"
AES_KEY = "HHKtg8uHBAJaevW0xK0DlQQkA2mal1tdWHwP6MvAf7M"
OTHER_AES_KEY = "efa5cqnj1rYnpFadamfenqg8rJ9Sxrm7obWlqIU7a6h"
APP_ID = "wx5c2a9e81b7d34f06"
OPENID = "oHy8Q6Zp3cK1eWm0rJxV2sTn4uLA"  # 陈静's openid in the recorded payloads
NONCE = "1432908273"


def payload(name: str, **fields: str) -> str:
    """A recorded payload from fixtures/, with some elements replaced (Content="进度", MsgId="…")."""
    xml = (FIXTURES / name).read_text(encoding="utf-8")
    for tag, value in fields.items():
        text = value if value.isdigit() else f"<![CDATA[{value}]]>"
        xml, found = re.subn(rf"<{tag}>.*?</{tag}>", lambda _m, t=tag, v=text: f"<{t}>{v}</{t}>", xml, flags=re.S)
        assert found == 1, f"{name} has no <{tag}>"
    return xml


def sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


class Platform:
    """What the WeChat server does to our endpoint."""

    def __init__(self, client, account: WechatAccount):
        self.client, self.account = client, account
        self.path = reverse("wechat:endpoint", kwargs={"estate_code": account.estate.code})

    @property
    def crypto(self) -> WeChatCrypto:
        return WeChatCrypto(self.account.token, self.account.encoding_aes_key, self.account.app_id)

    def query(self, *, token: str | None = None, timestamp: str | None = None, nonce: str = NONCE, **extra) -> dict:
        timestamp = timestamp or str(int(timezone.now().timestamp()))  # the frozen clock, like the platform's
        signature = sign(token or self.account.token, timestamp, nonce)
        return {"signature": signature, "timestamp": timestamp, "nonce": nonce, **extra}

    def verify(self, echostr: str, **query):
        return self.client.get(self.path, self.query(echostr=echostr, **query))

    def post(self, body: str | bytes, query: dict):
        return self.client.post(f"{self.path}?{urlencode(query)}", data=body, content_type="text/xml")

    def push(self, xml: str, **query):
        """Send a message the way the platform would for this account: plaintext, or AES in safe mode."""
        if not self.account.safe_mode:
            return self.post(xml, self.query(openid=OPENID, **query))
        params = self.query(openid=OPENID, encrypt_type="aes", **query)
        envelope = envelope_fields(self.crypto.encrypt_message(xml, params["nonce"], params["timestamp"]))
        # The platform posts ToUserName and Encrypt; the signature over Encrypt travels in the query.
        body = f"<xml><ToUserName><![CDATA[gh_3a9f2c71d0e8]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
        return self.post(body, {**params, "msg_signature": envelope["MsgSignature"]})

    def reply(self, response) -> BaseMessage:
        """Our passive reply, decrypted in safe mode, as the platform parses it."""
        assert response.status_code == 200, response.content
        xml = response.content.decode()
        if self.account.safe_mode:
            envelope = envelope_fields(xml)
            xml = self.crypto.decrypt_message(xml, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
        return parse_message(xml)


def envelope_fields(xml: str) -> dict:
    """The fields of an encrypted envelope (Encrypt, MsgSignature, TimeStamp, Nonce)."""
    return dict(xmltodict.parse(xml)["xml"])


@pytest.fixture
def account(hy):
    """和悦家园's Official Account, plaintext mode."""
    return WechatAccount.objects.create(estate=hy.world.hy, name="和悦家园服务中心", app_id=APP_ID, token=TOKEN)


@pytest.fixture
def safe_account(account):
    account.encoding_aes_key = AES_KEY
    account.save()
    return account


@pytest.fixture
def platform(client, account):
    return Platform(client, account)


@pytest.fixture
def chen_follower(account, hy):
    """陈静, already bound (tests of binding itself start from an unbound follower)."""
    now = timezone.now()
    return Follower.objects.create(
        estate=account.estate, account=account, openid=OPENID, resident=hy.world.chen, bound_at=now, first_seen_at=now
    )
