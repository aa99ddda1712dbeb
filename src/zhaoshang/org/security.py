"""Account security on every request (等保 身份鉴别 a, b, d), from what the session holds:

- a session ends 30 idle minutes after its last request and, in any case, 12 hours after its log-in;
- a user with a second factor enters a code before anything else; a user whose role requires one
  and who has none sets one up;
- a user whose password an administrator reset, or whose password expired, changes it first.

The last-seen time is written at most once a minute, so most requests save nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from zhaoshang.org import sessions

ALWAYS_OPEN = ("/static/", "/healthz", "/accounts/logout/", "/accounts/login/")


def _away(request: HttpRequest, to: str, detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=401 if to == "login" else 403)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse(to)
        return response
    target = reverse(to)
    if to == "two-factor-verify" and request.method == "GET" and request.path != "/":
        target += "?" + urlencode({"next": request.get_full_path()})  # back where the log-in was going
    return redirect(target)


class AccountSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(ALWAYS_OPEN):
            return self.get_response(request)
        session = request.session
        now = int(time.time())
        start = session.get(sessions.START)
        seen = session.get(sessions.SEEN)
        if start is None:  # a session from before these rules: counted from now
            session[sessions.START] = start = now
        if seen is None:
            session[sessions.SEEN] = seen = now
        if now - start > settings.ZHAOSHANG_SESSION_ABSOLUTE_SECONDS:
            return self._end(request, "会话已超过最长时限，请重新登录。")
        if now - seen > settings.SESSION_COOKIE_AGE:
            return self._end(request, "长时间未操作，会话已结束，请重新登录。")
        if now - seen >= settings.ZHAOSHANG_SESSION_TOUCH_SECONDS:
            session[sessions.SEEN] = now  # saves the session, which moves its expiry on
        due = self._due(request)
        if due is not None:
            return due
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        if not request.path.startswith("/api/"):
            messages.info(request, message)
        return _away(request, "login", message)

    @staticmethod
    def _due(request: HttpRequest) -> HttpResponse | None:
        session = request.session
        factor = session.get(sessions.SECOND_FACTOR, "")
        if factor == "verify" and request.path != reverse("two-factor-verify"):
            return _away(request, "two-factor-verify", "请先输入两步验证码。")
        if factor == "verify":
            return None
        if session.get(sessions.PASSWORD) and request.path != reverse("password-change"):
            return _away(request, "password-change", "请先修改密码。")
        if factor == "enrol" and not session.get(sessions.PASSWORD) and request.path != reverse("two-factor"):
            return _away(request, "two-factor", "您的角色须启用两步验证，请先完成设置。")
        return None
