"""The evaluation scheme edited in a form: the shipped scheme reads back the same, the preview re-grades
the year under the draft (grade counts now, after and in the last run), the confirmation saves the next
version (audited), and a refusal keeps what was typed and names the place."""

from __future__ import annotations

from typing import Any

from zhaoshang.core.audit import AuditEvent
from zhaoshang.evaluation.method import parse
from zhaoshang.evaluation.models import Evaluation, Scheme
from zhaoshang.evaluation.scheme_forms import AdjustmentForm, IndicatorForm, SchemeForms, SchemeMethodForm


def _post(scheme: Scheme, **changes: Any) -> dict[str, Any]:
    """The form as the page fills it from the scheme, with `changes`."""
    definition = scheme.definition
    data: dict[str, Any] = dict(SchemeMethodForm.initial_of(scheme.name, definition))
    for prefix, form, rows in (
        ("indicator", IndicatorForm, definition["indicators"]),
        ("adjustment", AdjustmentForm, definition["adjustments"]),
    ):
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)}
        for n, raw in enumerate(rows):
            for name, value in form.initial_of(raw).items():
                if value not in (None, False):
                    data[f"{prefix}-{n}-{name}"] = "on" if value is True else value
    return {k: v for k, v in data.items() if v is not None} | changes


def _url(scheme: Scheme) -> str:
    return f"/evaluation/schemes/{scheme.pk}/form/"


def test_the_shipped_scheme_reads_back_the_same(client: Any, county: Any, scheme: Scheme) -> None:
    client.force_login(county.coordinator)
    body = client.get(_url(scheme)).content.decode()
    assert "亩均税收" in body and "R&amp;D经费支出占主营业务收入之比" in body
    assert "持有资质：高新技术企业" in body and "情形：安全生产或环保事故（起）" in body
    forms = SchemeForms(scheme.name, scheme.definition, _post(scheme))
    assert forms.is_valid(), (forms.form.errors, forms.indicators.errors, forms.adjustments.errors)
    assert parse(forms.built()) == parse(scheme.definition)


def test_the_preview_regrades_the_year_under_the_draft(
    client: Any, county: Any, scheme: Scheme, run: Evaluation
) -> None:
    client.force_login(county.coordinator)
    # Shares 20/40/35/5 → 50/20/20/10: more A and D firms among the twelve.
    data = _post(scheme, share_A=50, share_B=20, share_C=20, share_D=10, confirm="0")
    page = client.post(_url(scheme), data)
    assert page.status_code == 200, page.context["problems"]
    change = page.context["change"]
    assert change.now["A"] == run.counts["grades"]["A"] and change.then["A"] > change.now["A"]
    assert change.changed > 0 and change.last_run == run
    body = page.content.decode()
    assert 'id="scheme-preview"' in body and "类别改变的企业" in body and "确认保存" in body
    scheme.refresh_from_db()
    assert scheme.version == 1  # a preview saves nothing


def test_confirming_saves_the_next_version_and_audits_it(client: Any, county: Any, scheme: Scheme) -> None:
    client.force_login(county.coordinator)
    data = _post(scheme, **{"indicator-0-weight": 25, "indicator-1-weight": 25, "confirm": "1"})
    data |= {"indicator-5-DELETE": "on", "indicator-TOTAL_FORMS": 7}  # R&D out, 亩均产值 in
    data |= {
        "indicator-6-kind": "output_per_mu",
        "indicator-6-weight": 10,
        "indicator-6-benchmark_kind": "constant",
    }
    data |= {"indicator-6-benchmark_value": 300, "indicator-6-missing": "exclude"}
    response = client.post(_url(scheme), data)
    assert response.status_code == 302, response.context["problems"]
    scheme.refresh_from_db()
    assert scheme.version == 2
    keys = [i["key"] for i in scheme.definition["indicators"]]
    assert "rd_ratio" not in keys and keys[-1] == "output_per_mu"
    method = parse(scheme.definition)
    assert method.indicators[-1].label == "亩均产值" and method.indicators[0].weight == 25
    assert scheme.definition["treatments"]  # what the form does not show is kept
    assert AuditEvent.objects.filter(target_type="evaluation.scheme", action="update").exists()


def test_bad_input_keeps_what_was_typed_and_the_parser_names_the_place(
    client: Any, county: Any, scheme: Scheme
) -> None:
    client.force_login(county.coordinator)
    body = client.post(_url(scheme), _post(scheme, **{"indicator-0-weight": "三十", "confirm": "1"})).content
    assert "权重（分）：输入一个数字。" in body.decode() and 'value="三十"' in body.decode()
    shares = client.post(_url(scheme), _post(scheme, share_A=30, confirm="1")).content.decode()
    assert "各类比例：合计应为 100%，现为 110%" in shares
    scheme.refresh_from_db()
    assert scheme.version == 1
