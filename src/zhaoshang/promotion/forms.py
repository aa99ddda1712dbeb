from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from zhaoshang.core.forms import StyledForm
from zhaoshang.core.versioning import VersionedForm
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project
from zhaoshang.promotion.models import PromotionProject


class PromotionForm(VersionedForm, StyledForm, forms.ModelForm):
    reason = forms.CharField(label="修改原因", required=False, max_length=200)

    class Meta:
        model = PromotionProject
        fields = [
            "name",
            "unit",
            "industry_code",
            "chain_node",
            "estimated_investment",
            "land_mu",
            "maturity",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "industry_code": "GB/T 4754-2017 行业代码，如 3130（钢压延加工）",
            "chain_node": "如：不锈钢产业链·下游制品",
            "maturity": "前期工作至少达到项目建议书的程度，力求达到可研报告的深度",
        }

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if not self.instance.pk:
            del self.fields["reason"]  # a new proposal has nothing to explain yet


class MoveForm(StyledForm, forms.Form):
    target = forms.ChoiceField(label="变更到")
    reason = forms.CharField(
        label="原因", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="move_%s", **kwargs)
        self.fields["target"].choices = targets  # type: ignore[attr-defined]


class MatchForm(StyledForm, forms.Form):
    """Own element ids: it shares the proposal page with the status form."""

    project = forms.ModelChoiceField(
        label="对接项目", queryset=Project.objects.none(), empty_label="请选择招商项目"
    )
    reason = forms.CharField(label="对接情况说明", required=False, max_length=500)

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="match_%s", **kwargs)
        field = self.fields["project"]
        field.queryset = projects  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: f"{p.name}（{p.investor_name}，{p.town.name}）"  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = "该招商项目不存在或不在您的查看范围内"


class AttachForm(StyledForm, forms.Form):
    file = forms.FileField(label="附件", help_text="项目建议书、可研报告、推介材料等，不超过 20 MB")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="attach_%s", **kwargs)
