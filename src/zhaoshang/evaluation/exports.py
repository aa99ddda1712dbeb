"""The whole evaluation as one workbook: ranking with every indicator, the grade distribution,
park, town and industry aggregates, differentiated treatment and the low-efficiency land list.

The ranking sheet holds the rows the page lists (its filters and order); every figure is rounded
as the page shows it (`num` and `floatformat` there, `numbers.rounded` here)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhaoshang.core.numbers import rounded
from zhaoshang.core.scoping import Principal
from zhaoshang.core.xlsx import workbook_of
from zhaoshang.evaluation import selectors
from zhaoshang.evaluation.method import DIRECTIONS, GRADE_LABELS, GRADES
from zhaoshang.evaluation.models import Evaluation, EvaluationResult


def _ranking(run: Evaluation, listed: QuerySet[EvaluationResult]) -> tuple[list[str], list[list[Any]]]:
    method = selectors.method_of(run)
    headers = [
        "排名",
        "企业名称",
        "统一社会信用代码",
        "乡镇",
        "园区",
        "行业代码",
        "用地（亩）",
        "总分",
        "类别",
        "说明",
    ]
    for i in method.indicators:
        headers += [f"{i.label}（{i.unit}）", f"{i.label}得分"]
    headers.append("加减分")
    rows = []
    for r in listed.iterator(chunk_size=2000):
        values, points = r.detail.get("values", []), r.detail.get("points", [])
        row: list[Any] = [
            r.rank,
            r.enterprise.name,
            r.enterprise.uscc,
            r.town.name,
            r.park.name if r.park else "",
            r.industry_code,
            rounded(r.land_mu),
            rounded(r.score),
            GRADE_LABELS.get(r.grade, r.grade),
            r.reason,
        ]
        for j in range(len(method.indicators)):
            row += [
                rounded(values[j] if j < len(values) else None),
                rounded(points[j] if j < len(points) else None, 3),
            ]
        row.append("；".join(f"{label} {p:+g}" for label, p in r.detail.get("adjustments", [])))
        rows.append(row)
    return headers, rows


def workbook(
    principal: Principal, run: Evaluation, listed: QuerySet[EvaluationResult] | None = None
) -> bytes:
    """`listed`: the ranking's rows as the page filtered them (all the principal may see by default)."""
    ranking_headers, ranking = _ranking(run, selectors.results(principal, run) if listed is None else listed)
    counts = run.counts
    distribution = [
        [
            GRADE_LABELS[g],
            counts.get("grades", {}).get(g, 0),
            counts.get("shares", {}).get(g),
            counts.get("nominal", {}).get(g),
        ]
        for g in GRADES
    ] + [[GRADE_LABELS[g], counts.get("grades", {}).get(g, 0), None, None] for g in ("T", "X")]

    def aggregate_rows(by: str) -> list[list[Any]]:
        return [
            [
                a.label,
                a.enterprises,
                rounded(a.land, 1),
                rounded(a.tax),
                rounded(a.value_added),
                a.tax_per_mu,
                a.value_added_per_mu,
                *(a.grades[g] for g in GRADES),
            ]
            for a in selectors.aggregates(principal, run, by)
        ]

    aggregate_headers = [
        "名称",
        "企业数",
        "用地（亩）",
        "税收（万元）",
        "增加值（万元）",
        "亩均税收（万元/亩）",
        "亩均增加值（万元/亩）",
        *GRADES,
    ]
    measures = [
        [
            r.enterprise.name,
            r.enterprise.uscc,
            r.grade,
            m.lever,
            m.measure,
            m.years_in_a_row,
            m.rate,
            m.rate_unit,
            rounded(m.base_value),
            rounded(m.amount),
            DIRECTIONS.get(m.direction, ""),
        ]
        for r, m in selectors.all_measures(principal, run)
    ]
    land = [
        [
            r.enterprise.name,
            r.enterprise.uscc,
            r.town.name,
            r.park.name if r.park else "",
            r.grade,
            rounded(r.land_mu),
            r.enterprise.get_status_display(),
            rounded(r.tax),
            r.tax_per_mu,
        ]
        for r in selectors.low_efficiency(principal, run)
    ]
    return workbook_of(
        [
            ("排名", ranking_headers, ranking),
            ("分类分布", ["类别", "家数", "实际占比（%）", "规定比例（%）"], distribution),
            ("园区汇总", aggregate_headers, aggregate_rows("park")),
            ("乡镇汇总", aggregate_headers, aggregate_rows("town")),
            ("行业汇总", aggregate_headers, aggregate_rows("industry")),
            (
                "差别化措施",
                [
                    "企业名称",
                    "统一社会信用代码",
                    "类别",
                    "事项",
                    "措施",
                    "连续年数",
                    "费率",
                    "费率单位",
                    "计费基数",
                    "年金额（万元）",
                    "方向",
                ],
                measures,
            ),
            (
                "低效用地",
                [
                    "企业名称",
                    "统一社会信用代码",
                    "乡镇",
                    "园区",
                    "类别",
                    "用地（亩）",
                    "经营状态",
                    "税收（万元）",
                    "亩均税收（万元/亩）",
                ],
                land,
            ),
        ]
    )
