from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response


class TokenLogin(ObtainAuthToken):
    """Username and password for an API token; a locked-out account gets 429, as on the login page."""

    def post(self, request, *args, **kwargs):
        if AxesProxyHandler.is_locked(request, credentials={"username": request.data.get("username", "")}):
            return Response(
                {"detail": _("登录失败次数过多，账号已临时锁定。")}, status=status.HTTP_429_TOO_MANY_REQUESTS
            )
        return super().post(request, *args, **kwargs)
