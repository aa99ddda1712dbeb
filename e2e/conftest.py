"""Every browser test also proves the Content-Security-Policy breaks nothing: a console message or
a page error naming the policy fails the test that caused it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request: pytest.FixtureRequest) -> Iterator[None]:
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []

    def _console(message: object) -> None:
        text = getattr(message, "text", "")
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            violations.append(text)

    page.on("console", _console)
    page.on("pageerror", lambda error: _console(type("E", (), {"text": str(error)})()))
    yield
    assert violations == [], "\n".join(violations)
