"""The tracking rules as a form a coordinator fills in (Chinese labels, deadlines as rows); the JSON
it builds is what the rulebook stores and what the parser checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from zhaoshang.core.forms import StyledForm
from zhaoshang.projects.engines import deadlines
from zhaoshang.projects.engines.lifecycle import STAGE_LABELS


def _percent(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=Decimal("0.01"), max_value=Decimal(100), decimal_places=2
    )


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
                row[key] = (Decimal(str(raw[key])) * 100).normalize()
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
