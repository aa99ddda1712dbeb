"""The charts of the enterprise and evaluation pages draw (one canvas each) from the shared chart script.

Screenshots go to test-artifacts/ for a human to compare with the figures they know.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.demo.county import build_demo_county
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.evaluation.models import Evaluation

from .test_roles import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enterprise_and_evaluation_charts_draw(page: Page, live_server: object, artifacts: Path) -> None:
    build_demo_county()
    base = live_server.url  # type: ignore[attr-defined]
    enterprise = Enterprise.objects.filter(years__isnull=False).order_by("pk").first()
    run = Evaluation.objects.filter(status="published").order_by("-year").first()
    assert enterprise is not None and run is not None
    result = run.results.exclude(score=None).order_by("rank").first()  # type: ignore[attr-defined]
    log_in(page, base, "coordinator")
    for name, url, charts in [
        ("chart-enterprise", f"/enterprises/{enterprise.pk}/", ["#year-chart"]),
        ("chart-evaluation-run", f"/evaluation/runs/{run.pk}/", ["#grade-chart"]),
        ("chart-evaluation-parks", f"/evaluation/runs/{run.pk}/?tab=aggregates", ["#park-chart"]),
        ("chart-evaluation-result", f"/evaluation/results/{result.pk}/", ["#history-chart"]),
    ]:
        page.goto(base + url)
        page.wait_for_function("() => window.chartReady === true")  # a function: no eval under the CSP
        for selector in charts:
            expect(page.locator(f"{selector} canvas")).to_have_count(1)
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


SWAPPED = (
    '<script type="application/json" id="swapped-data">{"x": ["2024", "2025"], "v": [1.5, 2.5]}</script>'
    '<div class="zs-chart" id="swapped-chart" style="height: 200px" data-chart="bar" data-source="swapped-data"'
    ' data-series=\'[{"key": "v", "name": "测试"}]\'></div>'
)


def test_a_chart_htmx_swaps_in_is_drawn_too(page: Page, live_server: object) -> None:
    build_demo_county(enterprises=False)
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "coordinator")  # the home page has no chart: ECharts is not even loaded
    assert page.evaluate("typeof window.echarts") == "undefined"
    page.evaluate(
        """(html) => {
            const box = document.createElement("div");
            box.id = "swap-box";
            document.querySelector("main").appendChild(box);
            htmx.swap("#swap-box", html, {swapStyle: "innerHTML"});
        }""",
        SWAPPED,
    )
    page.wait_for_function("() => window.chartReady === true")  # a function: no eval under the CSP
    expect(page.locator("#swapped-chart canvas")).to_have_count(1)
    assert page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('swapped-chart')).getOption().series[0].data"
    ) == [1.5, 2.5]
