from __future__ import annotations

import json
from typing import Any

from django import forms

from zhaoshang.core.forms import StyledForm
from zhaoshang.evaluation.method import FACT_LABELS

SHIPPED_LABELS = {
    "above_scale": "规上企业（六项指标：亩均税收 30、亩均增加值 20 …）",
    "below_scale": "规下企业（亩均税收 50、单位用电税收 50）",
}


class SchemeNewForm(StyledForm, forms.Form):
    template = forms.ChoiceField(label="从哪个方案开始", choices=list(SHIPPED_LABELS.items()))
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="方案名称（可留空，用模板名称）", required=False, max_length=120)


class SchemeEditForm(StyledForm, forms.Form):
    name = forms.CharField(label="方案名称", max_length=120)
    definition = forms.CharField(
        label="评价方法（JSON）",
        widget=forms.Textarea(
            attrs={"rows": 28, "class": "form-control font-monospace small", "spellcheck": "false"}
        ),
    )

    def clean_definition(self) -> dict[str, Any]:
        text = self.cleaned_data["definition"]
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"第 {exc.lineno} 行第 {exc.colno} 列格式有误：{exc.msg}") from exc
        if not isinstance(value, dict):
            raise forms.ValidationError("评价方法应为一个对象（{…}）。")
        return value


class SchemeCopyForm(StyledForm, forms.Form):
    year = forms.IntegerField(label="复制到年度", min_value=2000, max_value=2100)


class RunStartForm(StyledForm, forms.Form):
    notice_days = forms.IntegerField(label="公示天数", min_value=1, max_value=60, initial=7)
    note = forms.CharField(label="说明（重新评价时写明更正了什么）", required=False, max_length=200)


class ObjectionForm(StyledForm, forms.Form):
    text = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ResolveForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(
        label="处理结果",
        choices=[("rejected", "异议不成立"), ("upheld", "异议成立（已更正数据，将重新评价）")],
    )
    resolution = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReopenForm(StyledForm, forms.Form):
    reason = forms.CharField(label="重新打开的原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=200)


class PublishForm(StyledForm, forms.Form):
    early_reason = forms.CharField(label="提前发布原因（公示期未满时必填）", required=False, max_length=200)


class FactForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label="情形", choices=list(FACT_LABELS.items()))
    count = forms.IntegerField(label="次数 / 家数（0 表示清除）", min_value=0, max_value=999, initial=1)
    note = forms.CharField(label="说明", required=False, max_length=200)
