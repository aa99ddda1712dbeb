"""The whole evaluation as one workbook: ranking with every indicator, the grade distribution,
park and industry aggregates, differentiated treatment and the low-efficiency land list."""

from __future__ import annotations

from typing import Any

from zhaoshang.core.scoping import Principal
from zhaoshang.core.xlsx import workbook_of
from zhaoshang.evaluation import selectors
from zhaoshang.evaluation.method import GRADE_LABELS, GRADES
from zhaoshang.evaluation.models import Evaluation


def _ranking(principal: Principal, run: Evaluation) -> tuple[list[str], list[list[Any]]]:
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
    for r in selectors.results(principal, run).iterator(chunk_size=2000):
        values, points = r.detail.get("values", []), r.detail.get("points", [])
        row: list[Any] = [
            r.rank,
            r.enterprise.name,
            r.enterprise.uscc,
            r.town.name,
            r.park.name if r.park else "",
            r.industry_code,
            r.land_mu,
            r.score,
            GRADE_LABELS.get(r.grade, r.grade),
            r.reason,
        ]
        for j in range(len(method.indicators)):
            row += [values[j] if j < len(values) else None, points[j] if j < len(points) else None]
        row.append("；".join(f"{label} {p:+g}" for label, p in r.detail.get("adjustments", [])))
        rows.append(row)
    return headers, rows


def workbook(principal: Principal, run: Evaluation) -> bytes:
    ranking_headers, ranking = _ranking(principal, run)
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
                a.land,
                a.tax,
                a.value_added,
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
            m.base_value,
            m.amount,
            "减免" if m.direction == "relief" else "加价",
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
            r.land_mu,
            r.enterprise.get_status_display(),
            r.tax,
            (r.tax / r.land_mu) if r.tax is not None and r.land_mu else None,
        ]
        for r in selectors.low_efficiency(principal, run)
    ]
    return workbook_of(
        [
            ("排名", ranking_headers, ranking),
            ("分类分布", ["类别", "家数", "实际占比（%）", "规定比例（%）"], distribution),
            ("园区汇总", aggregate_headers, aggregate_rows("park")),
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
