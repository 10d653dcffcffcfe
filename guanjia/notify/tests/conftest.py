"""Real peers on loopback for the outbox: an SMS gateway, the WeChat platform's API, and an SMTP server.

The HTTP peers are small http.server servers in a thread. Each records what it was sent and answers from
a script the test sets (`answers`), then with success once the script runs out.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from guanjia.intake.email.tests.conftest import SmtpCollector, smtp_server  # noqa: F401  (a fixture)
from guanjia.intake.wechat.models import WechatAccount


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict


@dataclass
class LoopbackPeer:
    """A scripted HTTP peer: `answers` is a list of (status, json body), used one per request."""

    received: list[Received] = field(default_factory=list)
    answers: list[tuple[int, dict]] = field(default_factory=list)
    url: str = ""

    def answer(self, request: Received) -> tuple[int, dict]:
        if self.answers:
            return self.answers.pop(0)
        return 200, {"ok": True}


@contextmanager
def _serve(peer: LoopbackPeer) -> Iterator[LoopbackPeer]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            request = Received(
                method=self.command,
                path=split.path,
                query=parse_qs(split.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=json.loads(raw) if raw else {},
            )
            peer.received.append(request)
            status, body = peer.answer(request)
            payload = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _handle

        def log_message(self, format, *args):  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    peer.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def sms_gateway(settings) -> Iterator[LoopbackPeer]:
    """The SMS gateway at /send, configured with key `k-test-123`."""
    with _serve(LoopbackPeer()) as peer:
        settings.GUANJIA_SMS_GATEWAY_URL = peer.url + "send"
        settings.GUANJIA_SMS_GATEWAY_KEY = "k-test-123"
        yield peer


@dataclass
class WechatPlatform(LoopbackPeer):
    """Answers /cgi-bin/token with a fresh token each time and template sends from the script."""

    tokens_issued: int = 0

    def answer(self, request: Received) -> tuple[int, dict]:
        if request.path == "/cgi-bin/token":
            self.tokens_issued += 1
            return 200, {"access_token": f"TOKEN-{self.tokens_issued}", "expires_in": 7200}
        if self.answers:
            return self.answers.pop(0)
        return 200, {"errcode": 0, "errmsg": "ok", "msgid": 200228332 + len(self.received)}

    @property
    def sends(self) -> list[Received]:
        return [r for r in self.received if r.path == "/cgi-bin/message/template/send"]


WECHAT_TEMPLATE_ID = "ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY"


@pytest.fixture
def wechat_platform(settings, world) -> Iterator[WechatPlatform]:
    """和悦家园's Official Account, talking to a loopback platform."""
    cache.clear()  # access tokens are cached across runs
    WechatAccount.objects.create(
        estate=world.hy, name="和悦家园服务号", app_id="wx5f3c2a1b9d8e7f60", token="heyue2026", app_secret="s3cr3t"
    )
    with _serve(WechatPlatform()) as peer:
        settings.GUANJIA_WECHAT_API_BASE = peer.url
        settings.GUANJIA_WECHAT_TEMPLATE_ID = WECHAT_TEMPLATE_ID
        yield peer
    cache.clear()


@pytest.fixture
def smtp(settings, smtp_server: SmtpCollector) -> SmtpCollector:  # noqa: F811
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "kefu@heyue-wuye.example"
    return smtp_server
