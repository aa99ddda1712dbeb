from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from zhaoshang.core.forms import StyledForm
from zhaoshang.org.models import Unit
from zhaoshang.outreach.models import ACTIVITIES, PERIODS


class NormForm(StyledForm, forms.Form):
    """One norm: who (a kind of unit or the leaders), which activity, how often, at least how many."""

    subject = forms.ChoiceField(label="适用对象")
    activity = forms.ChoiceField(label="活动", choices=ACTIVITIES)
    period = forms.ChoiceField(label="周期", choices=PERIODS)
    minimum = forms.DecimalField(
        label="不少于",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text="次数；时间占比为百分数；留空为不作要求",
    )

    def __init__(self, *args: Any, subjects: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects  # type: ignore[attr-defined]


NormFormSet = forms.formset_factory(NormForm, extra=2, can_delete=False)


class SettingsForm(StyledForm, forms.Form):
    recognising_unit = forms.ModelChoiceField(
        label="引资人认定单位", queryset=Unit.objects.none(), empty_label="请选择"
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="settings_%s", **kwargs)
        self.fields["recognising_unit"].queryset = units  # type: ignore[attr-defined]


class TimeForm(StyledForm, forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), empty_label="请选择")
    month = forms.DateField(
        label="月份", widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )
    working_days = forms.DecimalField(label="本月工作日（天）", min_value=0, max_value=31, decimal_places=1)
    recruiting_days = forms.DecimalField(label="用于招商（天）", min_value=0, max_value=31, decimal_places=1)
    note = forms.CharField(label="主要招商工作", max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="time_%s", **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date:
        month: dt.date = self.cleaned_data["month"]
        return month.replace(day=1)
