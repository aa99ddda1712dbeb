from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from zhaoshang.chains.models import (
    MODES,
    NODE_STATUSES,
    PROBLEM_STATUSES,
    SEGMENTS,
    STRENGTHS,
    ChainNode,
    Cluster,
)
from zhaoshang.core.forms import StyledForm
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org.models import Unit, User
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


class ChainForm(StyledForm, forms.Form):
    """Setting up a chain: its people and units, its targets and its entry thresholds (准入门槛)."""

    name = forms.CharField(label="产业链名称", max_length=60)
    cluster = forms.ModelChoiceField(
        label="所属产业集群", queryset=Cluster.objects.none(), required=False, empty_label="不属于集群"
    )
    chief = forms.ModelChoiceField(
        label="链长（县级领导）", queryset=User.objects.none(), empty_label="请选择"
    )
    deputy_chiefs = forms.ModelMultipleChoiceField(
        label="副链长", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.none(), empty_label="请选择")
    member_units = forms.ModelMultipleChoiceField(
        label="责任单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    anchors = forms.CharField(
        label="链主企业",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一家，填统一社会信用代码或企业全称",
    )
    output_target = forms.DecimalField(label="年度产值目标（万元）", required=False, min_value=0)
    min_investment = forms.DecimalField(label="准入：计划投资不低于（万元）", required=False, min_value=0)
    min_intensity = forms.DecimalField(label="准入：投资强度不低于（万元/亩）", required=False, min_value=0)
    min_tax_per_mu = forms.DecimalField(label="准入：亩均税收不低于（万元/亩）", required=False, min_value=0)
    max_energy_per_output = forms.DecimalField(
        label="准入：单位产值能耗不高于（吨标准煤/万元）", required=False, min_value=0, decimal_places=4
    )
    target_stale_days = forms.IntegerField(
        label="目标企业停滞提醒（天）",
        min_value=7,
        max_value=365,
        initial=60,
        help_text="目标企业在同一对接状态停留超过这些天，列为停滞",
    )
    reason = forms.CharField(label="修改说明", max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        clusters: QuerySet[Cluster],
        leaders: QuerySet[User],
        units: QuerySet[Unit],
        enterprises: QuerySet[Enterprise],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        self.fields["chief"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["deputy_chiefs"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["member_units"].queryset = units  # type: ignore[attr-defined]
        self.enterprises = enterprises

    def clean_anchors(self) -> list[Enterprise]:
        """Each line a credit code or a full name of an enterprise one may see; the unknown are named."""
        lines = [x.strip() for x in self.cleaned_data["anchors"].splitlines() if x.strip()]
        found = {
            key: e
            for e in self.enterprises.filter(Q(uscc__in=lines) | Q(name__in=lines))
            for key in (e.uscc, e.name)
        }
        unknown = [x for x in lines if x not in found]
        if unknown:
            raise forms.ValidationError(f"找不到这些企业：{'、'.join(unknown[:5])}")
        return list({found[x].pk: found[x] for x in lines}.values())


class NodeForm(StyledForm, forms.Form):
    segment = forms.ChoiceField(label="链段", choices=SEGMENTS)
    parent = forms.ModelChoiceField(
        label="上级环节", queryset=ChainNode.objects.none(), required=False, empty_label="无（一级环节）"
    )
    name = forms.CharField(label="环节名称", max_length=60)
    industry_codes = forms.CharField(
        label="行业代码",
        max_length=200,
        required=False,
        help_text="GB/T 4754 代码，逗号分隔，如 C3511, C3512",
    )
    keywords = forms.CharField(
        label="关键词", max_length=200, required=False, help_text="企业名称中的词，逗号分隔"
    )
    status = forms.ChoiceField(label="环节状态", choices=NODE_STATUSES, initial="weak")
    status_reason = forms.CharField(label="判断依据", max_length=300, required=False)

    def __init__(self, *args: Any, nodes: QuerySet[ChainNode], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="node_%s", **kwargs)
        self.fields["parent"].queryset = nodes  # type: ignore[attr-defined]


class WithdrawForm(StyledForm, forms.Form):
    reason = forms.CharField(label="撤下原因", max_length=200)


class MeetingForm(StyledForm, forms.Form):
    month = forms.DateField(
        label="月份", widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )
    due_on = forms.DateField(label="月报截止日期", widget=forms.DateInput(attrs={"type": "date"}))


class HeldForm(StyledForm, forms.Form):
    held_on = forms.DateField(label="召开日期", widget=forms.DateInput(attrs={"type": "date"}))


class PlanForm(StyledForm, forms.Form):
    goals = forms.CharField(label="工作目标", widget=forms.Textarea(attrs={"rows": 5}))
    measures = forms.CharField(label="工作措施", widget=forms.Textarea(attrs={"rows": 8}))
    targets = forms.CharField(
        label="目标企业",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="可留空：招商清单中的目标企业随方案一并存档",
    )
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class TargetForm(StyledForm, forms.Form):
    """A company the chain wants, added to its 招商清单."""

    name = forms.CharField(label="企业名称", max_length=200)
    node = forms.ModelChoiceField(label="环节", queryset=ChainNode.objects.none(), empty_label="请选择")
    location = forms.CharField(label="所在地", max_length=60, required=False)
    strength = forms.ChoiceField(label="企业类别", choices=STRENGTHS, initial="other")
    mode = forms.ChoiceField(label="招商模式", choices=MODES, initial="supporting")
    fit = forms.CharField(label="契合理由", max_length=300, required=False)
    team = forms.ModelChoiceField(
        label="责任招商组", queryset=Unit.objects.none(), required=False, empty_label="暂不指定"
    )
    leader = forms.ModelChoiceField(
        label="联系县领导", queryset=User.objects.none(), required=False, empty_label="暂不指定"
    )

    def __init__(
        self,
        *args: Any,
        nodes: QuerySet[ChainNode],
        teams: QuerySet[Unit],
        leaders: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]


class ProjectPlaceForm(StyledForm, forms.Form):
    """The suggested projects a person confirms onto the node."""

    projects = forms.ModelMultipleChoiceField(
        label="确认在本环节的项目", queryset=Project.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="placep_%s", **kwargs)
        self.fields["projects"].queryset = choices  # type: ignore[attr-defined]
