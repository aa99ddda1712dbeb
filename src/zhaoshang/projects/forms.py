from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import QuerySet

from zhaoshang.core.forms import StyledForm
from zhaoshang.org.models import Unit, User
from zhaoshang.projects.lifecycle import DROP_REASONS, EVIDENCE_LABELS
from zhaoshang.projects.models import CHANNELS, RANKS, STAGES, Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label="项目或投资方", required=False)
    stage = forms.ChoiceField(label="阶段", required=False, choices=[("", "全部阶段"), *STAGES])
    channel = forms.ChoiceField(label="招商方式", required=False, choices=[("", "全部方式"), *CHANNELS])
    investor_rank = forms.ChoiceField(label="500强", required=False, choices=[("", "不限"), *RANKS[1:]])
    town = forms.ModelChoiceField(
        label="乡镇", queryset=Unit.objects.none(), required=False, empty_label="全部乡镇"
    )

    def __init__(self, *args: Any, towns: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns  # type: ignore[attr-defined]


class ProjectForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "investor_name",
            "investor_origin",
            "investor_rank",
            "channel",
            "referrer",
            "industry_code",
            "planned_investment",
            "land_needed_mu",
            "promised_output",
            "promised_tax",
            "town",
            "park",
            "lead_unit",
            "responsible_leader",
        ]

    def __init__(
        self,
        *args: Any,
        towns: QuerySet[Unit],
        parks: QuerySet[Unit],
        units: QuerySet[Unit],
        leaders: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns  # type: ignore[attr-defined]
        self.fields["park"].queryset = parks  # type: ignore[attr-defined]
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["responsible_leader"].queryset = leaders  # type: ignore[attr-defined]


class MoveForm(StyledForm, forms.Form):
    target = forms.ChoiceField(label="变更到")
    on = forms.DateField(label="日期", widget=DATE)
    opinion = forms.CharField(
        label="意见或情况说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contract_amount = forms.DecimalField(
        label="合同金额（万元）", required=False, max_digits=16, decimal_places=4
    )
    land_area = forms.DecimalField(
        label="土地出让合同面积（亩）", required=False, max_digits=12, decimal_places=4
    )
    start_date = forms.DateField(label="开工日期", required=False, widget=DATE)
    production_date = forms.DateField(label="投产日期", required=False, widget=DATE)
    full_output_date = forms.DateField(label="达产日期", required=False, widget=DATE)
    drop_reason = forms.ChoiceField(
        label="退出原因", required=False, choices=[("", "—"), *DROP_REASONS.items()]
    )
    evidence_kind = forms.ChoiceField(
        label="附件类型", required=False, choices=[("", "—"), *EVIDENCE_LABELS.items()]
    )
    evidence_file = forms.FileField(label="附件", required=False)

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets  # type: ignore[attr-defined]


class ReviewForm(StyledForm, forms.Form):
    """Own element ids: it shares the project page with the move and follow-up forms."""

    decision = forms.ChoiceField(
        label="预审结论", choices=[("pass", "通过"), ("conditional", "有条件通过"), ("reject", "不通过")]
    )
    notes = forms.CharField(label="预审意见（条件、投票情况）", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="review_%s", **kwargs)


class FollowUpForm(StyledForm, forms.Form):
    on = forms.DateField(label="跟进日期", widget=DATE)
    what = forms.CharField(label="跟进情况", widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label="下一步", required=False, max_length=300)
    next_date = forms.DateField(label="下一步完成日期", required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="follow_up_%s", **kwargs)


class RulebookForm(StyledForm, forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    content = forms.CharField(
        label="规则内容（JSON）",
        widget=forms.Textarea(
            attrs={"rows": 22, "class": "form-control font-monospace small", "spellcheck": "false"}
        ),
    )

    def clean_content(self) -> dict[str, Any]:
        text = self.cleaned_data["content"]
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"第 {exc.lineno} 行第 {exc.colno} 列格式有误：{exc.msg}") from exc
        if not isinstance(value, dict):
            raise forms.ValidationError("应为一个对象（{…}）。")
        return value
