"""The server URL configured in the Official Account (服务器配置): /channels/wechat/<estate code>/.

GET with echostr is the platform's URL verification; POST carries messages and events. A bad
signature is 403 and malformed XML 400, and in both cases nothing is stored.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from guanjia.intake.wechat.models import WechatAccount
from guanjia.intake.wechat.protocol import (
    EMPTY_REPLY,
    MalformedMessage,
    SignatureRejected,
    message_open,
    reply_render,
    signature_verify,
)
from guanjia.intake.wechat.services import message_receive


@csrf_exempt  # the platform signs its requests; it has no CSRF cookie
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest, estate_code: str) -> HttpResponse:
    account = get_object_or_404(
        WechatAccount.objects.select_related("estate"), estate__code__iexact=estate_code, active=True
    )
    now = timezone.now()
    try:
        signature_verify(account=account, params=request.GET, now=now)
        if request.method == "GET":
            return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain; charset=utf-8")
        inbound = message_open(account=account, params=request.GET, body=request.body)
    except SignatureRejected:
        return HttpResponseForbidden()
    except MalformedMessage:
        return HttpResponseBadRequest()
    text = message_receive(account=account, inbound=inbound, now=now)
    body = reply_render(account=account, inbound=inbound, text=text, now=now)
    kind = "text/plain" if body == EMPTY_REPLY else "application/xml"
    return HttpResponse(body, content_type=f"{kind}; charset=utf-8")
