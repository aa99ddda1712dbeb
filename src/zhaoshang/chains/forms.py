from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from zhaoshang.chains.models import NODE_STATUSES, PROBLEM_STATUSES
from zhaoshang.core.forms import StyledForm
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project


class NodeStatusForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label="环节状态", choices=NODE_STATUSES)
    reason = forms.CharField(label="判断依据", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="status_%s", **kwargs)


class PlaceForm(StyledForm, forms.Form):
    """The suggested enterprises a person confirms onto the node."""

    enterprises = forms.ModelMultipleChoiceField(
        label="确认在本环节的企业", queryset=Enterprise.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="place_%s", **kwargs)
        self.fields["enterprises"].queryset = choices  # type: ignore[attr-defined]


class TargetMoveForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label="变更到")
    on = forms.DateField(label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="情况说明", required=False, max_length=300)

    def __init__(self, *args: Any, moves: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="move_%s", **kwargs)
        self.fields["status"].choices = moves  # type: ignore[attr-defined]


class ConvertForm(StyledForm, forms.Form):
    name = forms.CharField(label="项目名称", max_length=200)
    town = forms.ModelChoiceField(label="落地乡镇", queryset=Unit.objects.none(), empty_label="请选择")
    planned_investment = forms.DecimalField(label="计划投资（万元）", required=False, min_value=0)
    land_needed_mu = forms.DecimalField(label="拟用地（亩）", required=False, min_value=0)

    def __init__(self, *args: Any, towns: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="convert_%s", **kwargs)
        self.fields["town"].queryset = towns  # type: ignore[attr-defined]


class PolicyForm(StyledForm, forms.Form):
    title = forms.CharField(label="政策名称", max_length=200)
    issuer = forms.CharField(label="发文单位", max_length=100, required=False)
    document_no = forms.CharField(label="文号", max_length=60, required=False)
    valid_until = forms.DateField(
        label="有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(label="政策要点", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProblemForm(StyledForm, forms.Form):
    title = forms.CharField(label="问题", max_length=200)
    owner_unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none(), empty_label="请选择")
    deadline = forms.DateField(label="办结时限", widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label="具体情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]


class ProblemProgressForm(StyledForm, forms.Form):
    status = forms.ChoiceField(label="状态", choices=PROBLEM_STATUSES)
    resolution = forms.CharField(label="解决情况", required=False, max_length=500)


class ReportForm(StyledForm, forms.Form):
    achievements = forms.CharField(label="工作成效", widget=forms.Textarea(attrs={"rows": 3}))
    shortfalls = forms.CharField(label="问题和不足", widget=forms.Textarea(attrs={"rows": 3}))
    causes = forms.CharField(label="原因分析", widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(label="下月计划", widget=forms.Textarea(attrs={"rows": 3}))
    sign = forms.ModelMultipleChoiceField(
        label="承诺本月签约的项目",
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    land = forms.ModelMultipleChoiceField(
        label="承诺本月落地（开工）的项目",
        queryset=Project.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sign", "land"):
            self.fields[name].queryset = projects  # type: ignore[attr-defined]
