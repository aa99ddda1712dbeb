"""The tracking, pre-review and cohort rules as forms a coordinator fills in (Chinese labels, deadlines and
negative-list entries as rows); the JSON they build is what the rulebook stores and the parser checks."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms

from zhaoshang.core.forms import StyledForm
from zhaoshang.projects.engines import cohorts, deadlines, review_rules
from zhaoshang.projects.engines.lifecycle import STAGE_LABELS


def _percent(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=Decimal("0.01"), max_value=Decimal(100), decimal_places=2
    )


def _hundredfold(share: Any) -> str:
    """A stored share (0.25) as the percent a form shows ("25", never "1E+2")."""
    return f"{(Decimal(str(share)) * 100).normalize():f}"


def _stage_field(stage: Any) -> str:
    return f"limit_{stage.value}"


class TrackingForm(StyledForm, forms.Form):
    stale_days = forms.IntegerField(
        label="跟进间隔（天）", min_value=1, help_text="超过这么多天没有跟进记录即提醒"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stage in deadlines.LIMITED_STAGES:
            self.fields[_stage_field(stage)] = forms.IntegerField(
                label=f"“{STAGE_LABELS[stage]}”阶段最长停留（天）", min_value=1, required=False
            )
        self.apply_style()

    @staticmethod
    def initial_of(content: dict[str, Any]) -> dict[str, Any]:
        limits = content.get("stage_limits") or {}
        return {"stale_days": content.get("stale_days")} | {
            _stage_field(s): limits.get(s.value) for s in deadlines.LIMITED_STAGES
        }

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        limits = {
            s.value: data[_stage_field(s)] for s in deadlines.LIMITED_STAGES if data.get(_stage_field(s))
        }
        return {"stale_days": data["stale_days"], "stage_limits": limits}


class DeadlineForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=list(deadlines.KIND_LABELS.items()))
    label = forms.CharField(label="名称", max_length=100)
    months = forms.IntegerField(label="期限（月）", min_value=1)
    warn_days = forms.IntegerField(label="提前提醒（天）", min_value=0, initial=15)
    share = _percent("注册资本到位比例（%）")
    reclaim_months = forms.IntegerField(label="无偿收回（月）", min_value=1, required=False)
    fee_share = _percent("闲置费比例（%）")

    @staticmethod
    def initial_of(raw: dict[str, Any]) -> dict[str, Any]:
        row = {k: raw.get(k) for k in ("kind", "label", "months", "warn_days", "reclaim_months")}
        for key in ("share", "fee_share"):
            if raw.get(key) is not None:
                row[key] = _hundredfold(raw[key])
        return row

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        row: dict[str, Any] = {k: data[k] for k in ("kind", "label", "months", "warn_days")}
        if data["kind"] == "capital_in_place" and data.get("share") is not None:
            row["share"] = float(data["share"] / 100)
        if data["kind"] == "idle_land":
            if data.get("reclaim_months"):
                row["reclaim_months"] = data["reclaim_months"]
            if data.get("fee_share") is not None:
                row["fee_share"] = float(data["fee_share"] / 100)
        return row


DeadlineFormSet = forms.formset_factory(DeadlineForm, extra=0, can_delete=True)


def tracking_forms(data: Any = None, content: dict[str, Any] | None = None) -> tuple[TrackingForm, Any]:
    """The form and its deadline rows, bound to what was posted or filled from the stored content."""
    if data is not None:
        return TrackingForm(data), DeadlineFormSet(data, prefix="deadline")
    content = content or {}
    rows = [DeadlineForm.initial_of(r) for r in content.get("deadlines") or [] if isinstance(r, dict)]
    return (
        TrackingForm(initial=TrackingForm.initial_of(content)),
        DeadlineFormSet(initial=rows, prefix="deadline"),
    )


def tracking_content(form: TrackingForm, rows: Any) -> dict[str, Any]:
    kept = [r.content() for r in rows.forms if r.cleaned_data and not r.cleaned_data.get("DELETE")]
    return form.content() | {"deadlines": kept}


# ---------------------------------------------------------------- 项目预审 rules


def _threshold_field(key: str) -> str:
    return f"threshold_{key}"


def _rank_field(rank: str) -> str:
    return f"rank_{rank or 'other'}"


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,，、;；]+", text) if w]


def _plain(number: Decimal) -> int | float:
    """A form's Decimal as the JSON number the rulebooks store (20, not "20.00")."""
    return int(number) if number == number.to_integral_value() else float(number)


class ReviewForm(StyledForm, forms.Form):
    vetoes = forms.MultipleChoiceField(
        label="一票否决项",
        required=False,
        choices=list(review_rules.VETOES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选的项不符合即建议否决，不再看得分",
    )
    standard_building_exempt = forms.BooleanField(
        label="入驻标准厂房的项目免于用地类门槛",
        required=False,
        help_text="租用或购买标准厂房、不另行供地的项目，不按用地、投资强度、亩均税收、容积率判定",
    )
    low_grades = forms.MultipleChoiceField(
        label="既有企业扩建：提示的亩均评价类别",
        required=False,
        choices=[(g, f"{g} 类") for g in review_rules.GRADES],
        widget=forms.CheckboxSelectMultiple,
    )
    pass_line = forms.DecimalField(
        label="建议通过分数线（分）", min_value=Decimal("0.01"), max_value=Decimal(100), decimal_places=2
    )
    key_industries = forms.CharField(
        label="主导产业行业代码",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="GB/T 4754 代码或其前几位，用空格或顿号分开；属于主导产业的项目“产业契合度”得满分",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, (figure, _side, label) in review_rules.THRESHOLDS.items():
            unit = review_rules.FIGURE_LABELS[figure][1]
            self.fields[_threshold_field(key)] = forms.DecimalField(
                label=f"{label}{f'（{unit}）' if unit else ''}",
                required=False,
                min_value=Decimal("0.0001"),
                decimal_places=4,
                help_text="留空表示不设此门槛",
            )
        for key, label in review_rules.CRITERIA.items():
            self.fields[f"weight_{key}"] = forms.DecimalField(
                label=f"“{label}”权重（分）", required=False, min_value=Decimal(0), decimal_places=2
            )
            if key not in ("industry_fit", "investor"):
                unit = review_rules.FIGURE_LABELS[key][1]
                self.fields[f"full_{key}"] = forms.DecimalField(
                    label=f"“{label}”满分值{f'（{unit}）' if unit else ''}",
                    required=False,
                    min_value=Decimal("0.0001"),
                    decimal_places=4,
                )
        for rank in review_rules.RANKS:
            self.fields[_rank_field(rank)] = forms.DecimalField(
                label=f"投资方为{review_rules.RANK_LABELS[rank]}：得分比例（%）",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
            )
        self.apply_style()

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the cards the page shows, each card with its title."""
        named = [
            ("门槛（不达到即不符合）", [_threshold_field(k) for k in review_rules.THRESHOLDS]),
            ("一票否决与建议", ["vetoes", "standard_building_exempt", "low_grades", "pass_line"]),
            (
                "评分项（权重合计 100 分；满分值以下按比例得分）",
                [n for n in self.fields if n.startswith(("weight_", "full_"))],
            ),
            ("产业契合度与投资方实力", ["key_industries", *(_rank_field(r) for r in review_rules.RANKS)]),
        ]
        return [(title, [self[name] for name in names]) for title, names in named]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in review_rules.CRITERIA:
            if data.get(f"weight_{key}") and f"full_{key}" in self.fields and not data.get(f"full_{key}"):
                self.add_error(f"full_{key}", "设了权重的评分项须填写满分值")
        return data

    @staticmethod
    def initial_of(content: dict[str, Any]) -> dict[str, Any]:
        thresholds = content.get("thresholds") or {}
        initial: dict[str, Any] = {
            "vetoes": list(content.get("vetoes") or []),
            "standard_building_exempt": content.get("standard_building_exempt", True),
            "low_grades": list(content.get("low_grades", ["D"])),
            "pass_line": content.get("pass_line", 60),
            "key_industries": "、".join(str(p) for p in content.get("key_industries") or []),
        }
        initial |= {_threshold_field(k): thresholds.get(k) for k in review_rules.THRESHOLDS}
        for item in content.get("criteria") or []:
            if isinstance(item, dict) and item.get("key") in review_rules.CRITERIA:
                initial[f"weight_{item['key']}"] = item.get("weight")
                initial[f"full_{item['key']}"] = item.get("full_at")
        for rank, share in (content.get("rank_shares") or {}).items():
            if rank in review_rules.RANKS and share is not None:
                initial[_rank_field(rank)] = _hundredfold(share)
        return initial

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        criteria = []
        for key in review_rules.CRITERIA:
            if data.get(f"weight_{key}"):
                item: dict[str, Any] = {"key": key, "weight": _plain(data[f"weight_{key}"])}
                if data.get(f"full_{key}"):
                    item["full_at"] = _plain(data[f"full_{key}"])
                criteria.append(item)
        return {
            "thresholds": {
                k: _plain(data[_threshold_field(k)])
                for k in review_rules.THRESHOLDS
                if data.get(_threshold_field(k)) is not None
            },
            "criteria": criteria,
            "key_industries": _words(data.get("key_industries") or ""),
            "rank_shares": {
                rank: _plain(data[_rank_field(rank)] / 100)
                for rank in review_rules.RANKS
                if data.get(_rank_field(rank)) is not None
            },
            "vetoes": list(data.get("vetoes") or []),
            "standard_building_exempt": bool(data.get("standard_building_exempt")),
            "low_grades": list(data.get("low_grades") or []),
            "pass_line": _plain(data["pass_line"]),
        }


class NegativeForm(StyledForm, forms.Form):
    reason = forms.CharField(label="原因", max_length=200, help_text="如：高污染、落后产能")
    industry = forms.CharField(label="行业代码", max_length=5, required=False)
    keyword = forms.CharField(label="关键词", max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("industry") and not data.get("keyword"):
            raise forms.ValidationError("负面清单每一条须填写行业代码或关键词")
        return data

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k].strip() for k in ("industry", "keyword", "reason") if data.get(k)}


NegativeFormSet = forms.formset_factory(NegativeForm, extra=0, can_delete=True)


def review_forms(data: Any = None, content: dict[str, Any] | None = None) -> tuple[ReviewForm, Any]:
    """The form and its negative-list rows, bound to what was posted or filled from the stored content."""
    if data is not None:
        return ReviewForm(data), NegativeFormSet(data, prefix="negative")
    content = content or {}
    rows = [
        {k: r.get(k, "") for k in ("reason", "industry", "keyword")}
        for r in content.get("negative_list") or []
        if isinstance(r, dict)
    ]
    return (
        ReviewForm(initial=ReviewForm.initial_of(content)),
        NegativeFormSet(initial=rows, prefix="negative"),
    )


def review_content(form: ReviewForm, rows: Any) -> dict[str, Any]:
    kept = [r.content() for r in rows.forms if r.cleaned_data and not r.cleaned_data.get("DELETE")]
    return {"negative_list": kept} | form.content()


# ---------------------------------------------------------------- 批次开工要求 (cohort rules)

RANK_CHOICES = [
    ("", "不限（所有签约项目）"),
    ("any", "三类 500 强（任一）"),
    *((code, review_rules.RANK_LABELS[code]) for code in cohorts.RANK_CODES),
]


class NoFields(StyledForm, forms.Form):
    """A rulebook that is rows only (the cohort requirements): the page's form has nothing of its own."""

    def content(self) -> dict[str, Any]:
        return {}


class CohortForm(StyledForm, forms.Form):
    name = forms.CharField(label="要求", max_length=100, help_text="如：2024 年签约项目 2025 年底前开工一半")
    signed_years = forms.CharField(
        label="签约年度", max_length=60, required=False, help_text="可写几个，用顿号分开；留空表示不限"
    )
    rank = forms.ChoiceField(label="500 强", choices=RANK_CHOICES, required=False)
    share = forms.DecimalField(
        label="比例（%）", min_value=Decimal("0.01"), max_value=Decimal(100), decimal_places=2
    )
    reach = forms.ChoiceField(
        label="目标阶段", choices=[(s.value, STAGE_LABELS[s]) for s in cohorts.REACH_DATES], initial="started"
    )
    by = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    count_dropped = forms.BooleanField(label="已退出的项目也计入", required=False)

    def clean_signed_years(self) -> list[int]:
        years = []
        for word in _words(self.cleaned_data.get("signed_years") or ""):
            if not word.isdigit() or not 1990 <= int(word) <= 2100:
                raise forms.ValidationError("写四位年份，几个年份用顿号分开，如 2023、2024")
            years.append(int(word))
        return sorted(set(years))

    @staticmethod
    def initial_of(raw: dict[str, Any]) -> dict[str, Any]:
        year, rank = raw.get("signed_year"), raw.get("rank")
        years = year if isinstance(year, list) else [] if year is None else [year]
        return {
            "name": raw.get("name", ""),
            "signed_years": "、".join(str(y) for y in years),
            "rank": rank if isinstance(rank, str) else "",
            "share": _hundredfold(raw.get("share", 1)),
            "reach": raw.get("reach", "started"),
            "by": raw.get("by"),
            "count_dropped": bool(raw.get("count_dropped")),
        }

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        years = data["signed_years"]
        row: dict[str, Any] = {
            "name": data["name"].strip(),
            "signed_year": years[0] if len(years) == 1 else (years or None),
            "rank": data.get("rank") or None,
            "share": _plain(data["share"] / 100),
            "reach": data["reach"],
            "by": data["by"].isoformat(),
        }
        if data.get("count_dropped"):
            row["count_dropped"] = True
        return row


CohortFormSet = forms.formset_factory(CohortForm, extra=0, can_delete=True)


def cohort_forms(data: Any = None, content: dict[str, Any] | None = None) -> tuple[NoFields, Any]:
    if data is not None:
        return NoFields(data), CohortFormSet(data, prefix="cohort")
    rows = [CohortForm.initial_of(r) for r in (content or {}).get("rules") or [] if isinstance(r, dict)]
    return NoFields(), CohortFormSet(initial=rows, prefix="cohort")


def cohort_content(form: NoFields, rows: Any) -> dict[str, Any]:
    return {"rules": [r.content() for r in rows.forms if r.cleaned_data and not r.cleaned_data.get("DELETE")]}
