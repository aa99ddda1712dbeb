"""An evaluation scheme as a form a coordinator fills in: how to score and grade, the indicators and
the bonus and deduction items as rows. The definition it builds is what the scheme stores and what
`method.parse` checks; what the form does not show (who is in scope, land, treatments) is kept as it was."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from zhaoshang.core.forms import StyledForm
from zhaoshang.enterprises import qualifications
from zhaoshang.enterprises.models import Qualification
from zhaoshang.evaluation.method import (
    FACT_LABELS,
    FIGURE_LABELS,
    GRADES,
    MISSING,
    ROUNDINGS,
    SCORINGS,
    STANDARD_INDICATORS,
)

CUSTOM = "custom"
BENCHMARK_KINDS = {"constant": "公布的基准值", "previous_average": "上年度平均值的倍数"}


def _number(label: str, *, required: bool = False, minimum: Decimal | None = None) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, min_value=minimum, decimal_places=4)


def _plain(number: Decimal | None) -> int | float | None:
    """A form's Decimal as the JSON number a definition stores (30, not "30.0000")."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


class SchemeMethodForm(StyledForm, forms.Form):
    name = forms.CharField(label="方案名称", max_length=120)
    scoring = forms.ChoiceField(label="计分方法", choices=list(SCORINGS.items()))
    grading_kind = forms.ChoiceField(
        label="分类方式", choices=[("share", "按比例分档"), ("threshold", "按分数线")]
    )
    within = forms.ChoiceField(label="排名范围", choices=[("scope", "全域排名"), ("industry", "分行业排名")])
    rounding = forms.ChoiceField(label="名额取整", choices=list(ROUNDINGS.items()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for grade in GRADES:
            self.fields[f"share_{grade}"] = _number(f"{grade} 类比例（%）", minimum=Decimal(0))
        for grade in GRADES[:-1]:
            self.fields[f"threshold_{grade}"] = _number(f"{grade} 类分数线（分）")
        self.apply_style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("grading_kind")
        wanted = (
            [f"share_{g}" for g in GRADES] if kind == "share" else [f"threshold_{g}" for g in GRADES[:-1]]
        )
        for name in wanted:
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, "按所选分类方式必须填写")
        return data

    @staticmethod
    def initial_of(name: str, definition: dict[str, Any]) -> dict[str, Any]:
        grading = definition.get("grading") or {}
        initial = {
            "name": name,
            "scoring": definition.get("scoring", "benchmark"),
            "grading_kind": grading.get("kind", "share"),
            "within": grading.get("within", "scope"),
            "rounding": grading.get("rounding", "half_up"),
        }
        initial |= {f"share_{g}": v for g, v in (grading.get("shares") or {}).items()}
        return initial | {f"threshold_{g}": v for g, v in (grading.get("thresholds") or {}).items()}

    def grading(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {
            "kind": data["grading_kind"],
            "within": data["within"],
            "rounding": data["rounding"],
        }
        if data["grading_kind"] == "share":
            out["shares"] = {g: _plain(data[f"share_{g}"]) for g in GRADES}
        else:
            out["thresholds"] = {g: _plain(data[f"threshold_{g}"]) for g in GRADES[:-1]}
        return out


class IndicatorForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(
        label="指标",
        choices=[
            *((k, v[0]) for k, v in STANDARD_INDICATORS.items()),
            (CUSTOM, "自定义（填写名称、分子、分母）"),
        ],
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    label = forms.CharField(label="名称", required=False, max_length=60)
    numerator = forms.ChoiceField(label="分子", required=False, choices=[("", "—"), *FIGURE_LABELS.items()])
    denominator = forms.ChoiceField(label="分母", required=False, choices=[("", "—"), *FIGURE_LABELS.items()])
    unit = forms.CharField(label="单位", required=False, max_length=20)
    weight = _number("权重（分）", required=True, minimum=Decimal("0.0001"))
    benchmark_kind = forms.ChoiceField(label="基准值类型", choices=list(BENCHMARK_KINDS.items()))
    benchmark_value = _number("基准值", minimum=Decimal("0.0001"))
    benchmark_multiple = _number("上年平均的倍数", minimum=Decimal("0.0001"))
    missing = forms.ChoiceField(label="缺失时", choices=list(MISSING.items()))
    cap = _number("封顶（基准值的倍数）", minimum=Decimal("0.0001"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CUSTOM:
            for name in ("label", "numerator", "denominator"):
                if not data.get(name):
                    self.add_error(name, "自定义指标须填写")
        return data

    @staticmethod
    def initial_of(raw: dict[str, Any]) -> dict[str, Any]:
        key = str(raw.get("key") or "")
        bench = raw.get("benchmark") or {}
        return {
            "kind": key if key in STANDARD_INDICATORS else CUSTOM,
            "key": key,
            "label": raw.get("label", ""),
            "numerator": raw.get("numerator", ""),
            "denominator": raw.get("denominator", ""),
            "unit": raw.get("unit", ""),
            "weight": raw.get("weight"),
            "benchmark_kind": bench.get("kind", "constant"),
            "benchmark_value": bench.get("value"),
            "benchmark_multiple": bench.get("multiple"),
            "missing": raw.get("missing", "exclude"),
            "cap": raw.get("cap"),
        }

    def content(self, n: int, kept: dict[str, Any]) -> dict[str, Any]:
        """The indicator as the definition stores it; `kept` is what the row held that the form does not show."""
        data = self.cleaned_data
        standard = data["kind"] != CUSTOM
        key = data["kind"] if standard else (data.get("key") or f"custom_{n}")
        row: dict[str, Any] = {**kept, "key": key}
        for name in ("label", "numerator", "denominator", "unit"):
            if data.get(name):
                row[name] = data[name].strip()
            elif standard:
                row.pop(name, None)  # the standard indicator's own
        row["weight"] = _plain(data["weight"])
        if data["benchmark_kind"] == "constant":
            row["benchmark"] = {"kind": "constant", "value": _plain(data.get("benchmark_value"))}
        else:
            row["benchmark"] = {
                "kind": "previous_average",
                "multiple": _plain(data.get("benchmark_multiple")) or 1,
            }
        row["missing"] = data["missing"]
        if data.get("cap") is not None:
            row["cap"] = _plain(data["cap"])
        else:
            row.pop("cap", None)
        return row


def _basis_choices() -> list[tuple[str, str]]:
    """The qualifications the county tracks (the shipped ones even before any is recorded) and the facts."""
    names = {code: name for code, name, _order in qualifications.DEFAULTS}
    names |= dict(Qualification.objects.order_by("sort_order", "pk").values_list("code", "name"))
    return [
        *((f"q:{code}", f"持有资质：{name}") for code, name in names.items()),
        *((f"f:{code}", f"情形：{label}") for code, label in FACT_LABELS.items()),
    ]


class AdjustmentForm(StyledForm, forms.Form):
    label = forms.CharField(label="名称", max_length=60)
    basis = forms.ChoiceField(label="依据")
    points = _number("分值（扣分写负数）")
    free = forms.IntegerField(label="免计次数", required=False, min_value=0)
    veto = forms.BooleanField(label="一票否决（直接评为 D 类）", required=False)

    def __init__(self, *args: Any, basis: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = basis  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("veto") and data.get("points") is None and "points" not in self.errors:
            self.add_error("points", "不是一票否决的项须填写分值")
        return data

    @staticmethod
    def initial_of(raw: dict[str, Any]) -> dict[str, Any]:
        basis = f"q:{raw['qualification']}" if raw.get("qualification") else f"f:{raw.get('fact', '')}"
        return {
            "label": raw.get("label", ""),
            "basis": basis,
            "points": raw.get("points"),
            "free": raw.get("free"),
            "veto": bool(raw.get("veto")),
        }

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind, _, code = data["basis"].partition(":")
        row: dict[str, Any] = {"label": data["label"].strip()}
        if data.get("points") is not None:
            row["points"] = _plain(data["points"])
        row["qualification" if kind == "q" else "fact"] = code
        if data.get("free"):
            row["free"] = data["free"]
        if data.get("veto"):
            row["veto"] = True
        return row


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=0, can_delete=True)
AdjustmentFormSet = forms.formset_factory(AdjustmentForm, extra=0, can_delete=True)


class SchemeForms:
    """The method form with its indicator and adjustment rows, bound to a post or filled from a scheme."""

    def __init__(self, name: str, definition: dict[str, Any], data: Any = None) -> None:
        self.definition = definition
        basis = _basis_choices()
        known = {v for v, _ in basis}
        for raw in definition.get("adjustments") or []:  # a code no longer listed stays choosable
            code = f"q:{raw['qualification']}" if raw.get("qualification") else f"f:{raw.get('fact', '')}"
            if code not in known:
                basis.append((code, code.partition(":")[2]))
        form_kwargs: dict[str, Any] = {"basis": basis}
        if data is not None:
            self.form = SchemeMethodForm(data)
            self.indicators = IndicatorFormSet(data, prefix="indicator")
            self.adjustments = AdjustmentFormSet(data, prefix="adjustment", form_kwargs=form_kwargs)
            return
        raw_indicators = [r for r in definition.get("indicators") or [] if isinstance(r, dict)]
        raw_adjustments = [r for r in definition.get("adjustments") or [] if isinstance(r, dict)]
        self.form = SchemeMethodForm(initial=SchemeMethodForm.initial_of(name, definition))
        self.indicators = IndicatorFormSet(
            initial=[IndicatorForm.initial_of(r) for r in raw_indicators], prefix="indicator"
        )
        self.adjustments = AdjustmentFormSet(
            initial=[AdjustmentForm.initial_of(r) for r in raw_adjustments],
            prefix="adjustment",
            form_kwargs=form_kwargs,
        )

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.indicators.is_valid(), self.adjustments.is_valid()])

    def name(self) -> str:
        return str(self.form.cleaned_data["name"])

    def built(self) -> dict[str, Any]:
        """The definition the form describes: the scheme's own, with what the form shows replaced."""
        stored = {
            str(r.get("key")): r for r in self.definition.get("indicators") or [] if isinstance(r, dict)
        }
        indicators = []
        for n, row in enumerate(self._kept(self.indicators), 1):
            kept = stored.get(row.cleaned_data.get("key") or row.cleaned_data["kind"], {})
            indicators.append(row.content(n, {k: v for k, v in kept.items() if k == "scale"}))
        return self.definition | {
            "scoring": self.form.cleaned_data["scoring"],
            "grading": self.form.grading(),
            "indicators": indicators,
            "adjustments": [row.content() for row in self._kept(self.adjustments)],
        }

    @staticmethod
    def _kept(rows: Any) -> list[Any]:
        return [r for r in rows.forms if r.cleaned_data and not r.cleaned_data.get("DELETE")]
