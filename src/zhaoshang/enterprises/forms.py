from __future__ import annotations

from typing import Any

from django import forms

from zhaoshang.core.forms import StyledForm
from zhaoshang.core.pickers import IndustryField
from zhaoshang.core.versioning import VersionedForm
from zhaoshang.enterprises.models import (
    FIGURES,
    Enterprise,
    EnterpriseQualification,
    EnterpriseYear,
    Qualification,
)
from zhaoshang.enterprises.services import EDITABLE


class EnterpriseForm(VersionedForm, StyledForm, forms.ModelForm):
    uscc = forms.CharField(label="统一社会信用代码", max_length=40)
    qualifications = forms.ModelMultipleChoiceField(
        label="资质",
        queryset=Qualification.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industry_code = IndustryField(
        label="行业", help_text="GB/T 4754-2017，输入代码或名称选择，如 3011 或 水泥"
    )
    reason = forms.CharField(label="修改原因", required=False, max_length=200)

    class Meta:
        model = Enterprise
        fields = [*EDITABLE, "qualifications"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, towns: Any = None, parks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if towns is not None:
            self.fields["town"].queryset = towns
        if parks is not None:
            self.fields["park"].queryset = parks
        self.fields["qualifications"].widget.attrs.pop("class", None)
        if self.instance.pk:
            self.fields["uscc"].disabled = True
            self.fields["uscc"].required = False
            self.initial["uscc"] = self.instance.uscc


class YearForm(StyledForm, forms.ModelForm):
    reason = forms.CharField(label="更正原因（修改已录入的年度时必填）", required=False, max_length=200)

    class Meta:
        model = EnterpriseYear
        fields = ["year", *FIGURES, "scale_override"]
        labels = {"scale_override": "规模（人工认定）"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "按主营业务收入判定"), *Enterprise.Scale.choices]
        self.fields["scale_override"].choices = choices  # type: ignore[attr-defined]


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QualificationForm(StyledForm, forms.ModelForm):
    """A qualification the enterprise holds, with its award and expiry dates."""

    class Meta:
        model = EnterpriseQualification
        fields = ["qualification", "awarded_on", "expires_on"]
        widgets = {"awarded_on": DATE, "expires_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="qualification_%s", **kwargs)
        self.fields["qualification"].empty_label = "请选择资质"  # type: ignore[attr-defined]
