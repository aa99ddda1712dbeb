from __future__ import annotations

from typing import Any

from django import forms

from zhaoshang.core.forms import StyledForm
from zhaoshang.core.pickers import IndustryField
from zhaoshang.core.versioning import VersionedForm
from zhaoshang.enterprises.models import FIGURES, Enterprise, EnterpriseYear, Qualification
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
    class Meta:
        model = EnterpriseYear
        fields = ["year", *FIGURES]
