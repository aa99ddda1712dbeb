"""The headers a reviewer checks first: a Content-Security-Policy without inline scripts,
Permissions-Policy, no caching of signed-in pages and downloads, and a Server header that does not
name gunicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.django_db
def test_pages_carry_a_strict_policy_and_signed_in_pages_are_not_cached(county: object) -> None:
    client = Client()
    login = client.get("/accounts/login/")
    policy = login["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "camera=()" in login["Permissions-Policy"] and "geolocation=()" in login["Permissions-Policy"]
    client.force_login(county.coordinator)  # type: ignore[attr-defined]
    for path in ("/", "/org/units/", "/enterprises/"):
        page = client.get(path)
        assert page.status_code == 200 and page["Cache-Control"] == "no-store", path
    export = client.get("/org/units/", {"format": "xlsx"})
    assert export["Content-Disposition"].startswith("attachment") and export["Cache-Control"] == "no-store"
    assert client.get("/api/org/units")["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable() -> None:
    response = Client().get("/static/core/zhaoshang.css")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_server_header_does_not_name_gunicorn() -> None:
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {**os.environ, "ZHAOSHANG_DEMO": "0"}
    server = subprocess.Popen(  # noqa: S603 -- our own gunicorn, fixed arguments
        [str(gunicorn), "zhaoshang.wsgi", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        headers = None
        for _ in range(300):  # the worker boots (imports Django and the app) before it answers
            try:
                url = f"http://127.0.0.1:{port}/static/core/zhaoshang.css"
                with urllib.request.urlopen(url, timeout=60) as r:
                    headers = r.headers
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        assert headers is not None, "gunicorn did not answer"
        assert "gunicorn" not in headers.get("Server", "").lower()
        assert headers.get("Server") == "zhaoshang"
    finally:
        server.terminate()
        server.wait(timeout=10)
