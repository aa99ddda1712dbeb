"""The first requests of a browser against a fresh production deployment (used by scripts/deploy-check).

Plain urllib with the cookies carried by hand: the deployment's cookies are Secure, and the check
speaks plain HTTP to gunicorn with the header nginx would add.
"""

from __future__ import annotations

import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


opener = urllib.request.build_opener(NoRedirect)
jar: dict[str, str] = {}


def request(base: str, path: str, data: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    headers = dict(HEADERS, Cookie="; ".join(f"{k}={v}" for k, v in jar.items()))
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    if data is not None:
        headers["Referer"] = "https://127.0.0.1/accounts/login/"
    req = urllib.request.Request(base + path, data=body, headers=headers)  # noqa: S310 (loopback only)
    try:
        response = opener.open(req, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    for header in response.headers.get_all("Set-Cookie") or []:
        for key, morsel in SimpleCookie(header).items():
            jar[key] = morsel.value
    return response.status, dict(response.headers), response.read().decode("utf-8", "replace")


def wait_for(base: str) -> None:
    for _ in range(60):
        try:
            request(base, "/healthz")
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 30 s")


def main(base: str, username: str, password: str) -> int:
    wait_for(base)
    status, headers, page = request(base, "/accounts/login/")
    assert status == 200 and "登录" in page, f"log-in page: {status}"
    assert "gunicorn" not in headers.get("Server", "").lower(), f"the Server header names {headers['Server']}"
    assert "script-src 'self'" in headers.get("Content-Security-Policy", ""), "no content security policy"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "the log-in page carries no CSRF token"
    status, headers, _ = request(
        base,
        "/accounts/login/",
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
    )
    assert status == 302, f"log-in answered {status}"
    status, _, page = request(base, "/org/units/")
    assert status == 200 and "遂昌县" in page, f"unit list: {status}"
    css = re.search(r'href="(/static/[^"]+\.css)"', page)
    assert css, "the page links no stylesheet"
    status, headers, _ = request(base, css.group(1))
    assert status == 200, f"static file {css.group(1)}: {status}"
    print("deploy-check: log-in page 200, log-in 302, unit list 200, stylesheet 200")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
