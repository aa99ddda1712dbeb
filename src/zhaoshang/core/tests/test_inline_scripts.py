"""Templates carry data, not code: charts are drawn by core/charts.js from data attributes."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
# Charts still drawn by their own static scripts rather than core/charts.js (no inline code left:
# the Content-Security-Policy allows none).
NOT_YET_CONVERTED = ("projects/templates/",)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def _inline_code(text: str) -> list[str]:
    return [
        body.strip()[:60]
        for attrs, body in SCRIPT.findall(text)
        if "src=" not in attrs and "application/json" not in attrs and body.strip()
    ]


INLINE_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)


def test_no_template_holds_an_inline_script_or_event_handler() -> None:
    found = {}
    for path in PACKAGE.rglob("templates/**/*.html"):
        name = path.relative_to(PACKAGE).as_posix()
        if code := _inline_code(path.read_text(encoding="utf-8")):
            found[name] = code
        if INLINE_HANDLER.search(path.read_text(encoding="utf-8")):
            found[name] = ["on…= handler"]
    assert found == {}


def test_charts_are_drawn_by_the_one_script_loaded_by_the_base_template() -> None:
    base = (PACKAGE / "templates" / "base.html").read_text(encoding="utf-8")
    assert "{% static 'core/charts.js' %}" in base and "data-echarts=" in base
    for path in PACKAGE.rglob("templates/**/*.html"):
        name = path.relative_to(PACKAGE).as_posix()
        if name.startswith(NOT_YET_CONVERTED):
            continue
        text = path.read_text(encoding="utf-8")
        assert "echarts.min.js" not in text or name == "templates/base.html", name
        for chart in re.findall(r'<div class="zs-chart"[^>]*>', text):
            source = re.search(r'data-source="([^"]+)"', chart)
            assert source and f'json_script:"{source.group(1)}"' in text, (name, chart)
