"""The forms of the activities side: a trip, a visit, an event, a project added to an event, a lead
created from one of them, and the calendar's and region view's choices. Pickers come from the view
(org.references and the outreach selectors); the services check what the forms cannot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from zhaoshang.core.forms import StyledForm
from zhaoshang.org.models import Unit, User
from zhaoshang.outreach.models import EVENT_KINDS, EVENT_ROLES, REGIONS, Contact
from zhaoshang.projects.models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REQUIRED = {"required": "必须填写"}
CHOOSE = {"required": "必须选择"}


def _money(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, max_digits=16, decimal_places=4, **kwargs)


class TripForm(StyledForm, forms.Form):
    unit = forms.ModelChoiceField(
        label="组织单位", queryset=Unit.objects.none(), empty_label="请选择", error_messages=CHOOSE
    )
    leader = forms.ModelChoiceField(
        label="带队领导", queryset=User.objects.none(), required=False, empty_label="无县级领导带队"
    )
    members = forms.ModelMultipleChoiceField(
        label="成员",
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    starts_on = forms.DateField(label="出发日期", widget=DATE, error_messages=REQUIRED)
    ends_on = forms.DateField(label="返回日期", widget=DATE, error_messages=REQUIRED)
    region = forms.ChoiceField(label="目的区域", choices=REGIONS, initial="yangtze")
    destination = forms.CharField(
        label="目的地", max_length=60, error_messages=REQUIRED, help_text="城市或地区，如：宁波、苏州工业园区"
    )
    purpose = forms.CharField(label="主要任务", max_length=200, error_messages=REQUIRED)
    contacts = forms.ModelMultipleChoiceField(
        label="会见的联络对象",
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    companies_met = forms.CharField(
        label="对接的企业", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一家"
    )
    cost = _money("费用（万元）", help_text="以万元计，如 1.25 即 12,500 元")
    summary = forms.CharField(label="成效", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        leaders: QuerySet[User],
        people: QuerySet[User],
        contacts: QuerySet[Contact],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["members"].queryset = people  # type: ignore[attr-defined]
        self.fields["contacts"].queryset = contacts  # type: ignore[attr-defined]
        if editing:
            self.fields["reason"] = forms.CharField(label="修改说明", max_length=200, required=False)
            self.apply_style()


class VisitForm(StyledForm, forms.Form):
    unit = forms.ModelChoiceField(
        label="接待单位", queryset=Unit.objects.none(), empty_label="请选择", error_messages=CHOOSE
    )
    on = forms.DateField(label="来访日期", widget=DATE, error_messages=REQUIRED)
    company = forms.CharField(label="来访企业", max_length=200, error_messages=REQUIRED)
    visitors = forms.CharField(
        label="来访人员", max_length=200, error_messages=REQUIRED, help_text="姓名及职务，如：张某（董事长）"
    )
    sites = forms.CharField(label="考察地点", max_length=300, required=False)
    leader = forms.ModelChoiceField(
        label="陪同县领导", queryset=User.objects.none(), required=False, empty_label="无"
    )
    hosts = forms.ModelMultipleChoiceField(
        label="接待人员",
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    contact = forms.ModelChoiceField(
        label="引荐的联络对象", queryset=Contact.objects.none(), required=False, empty_label="无"
    )
    outcome = forms.CharField(label="成果", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    project = forms.ModelChoiceField(
        label="所属项目", queryset=Project.objects.none(), required=False, empty_label="尚无项目"
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        leaders: QuerySet[User],
        people: QuerySet[User],
        contacts: QuerySet[Contact],
        projects: QuerySet[Project],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["hosts"].queryset = people  # type: ignore[attr-defined]
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        if editing:
            self.fields["reason"] = forms.CharField(label="修改说明", max_length=200, required=False)
            self.apply_style()


class EventForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label="活动类型", choices=EVENT_KINDS)
    name = forms.CharField(label="活动名称", max_length=160, error_messages=REQUIRED)
    on = forms.DateField(label="日期", widget=DATE, error_messages=REQUIRED)
    place = forms.CharField(label="地点", max_length=120, error_messages=REQUIRED)
    unit = forms.ModelChoiceField(
        label="主办单位", queryset=Unit.objects.none(), empty_label="请选择", error_messages=CHOOSE
    )
    note = forms.CharField(label="情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class EventProjectForm(StyledForm, forms.Form):
    """A project signed, started or completed at the event."""

    project = forms.ModelChoiceField(
        label="项目", queryset=Project.objects.none(), empty_label="请选择", error_messages=CHOOSE
    )
    role = forms.ChoiceField(label="在活动上", choices=EVENT_ROLES, initial="signed")
    amount = _money("签约金额（万元）", help_text="本次活动上签约的金额；开工、竣工可不填")

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="add_%s", **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]


class LeadForm(StyledForm, forms.Form):
    """A project lead created from a trip or a visit (the way a chain's target becomes one)."""

    name = forms.CharField(label="项目名称", max_length=200, error_messages=REQUIRED)
    investor_name = forms.CharField(label="投资方", max_length=200, error_messages=REQUIRED)
    town = forms.ModelChoiceField(
        label="落地乡镇", queryset=Unit.objects.none(), empty_label="请选择", error_messages=CHOOSE
    )
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", queryset=Unit.objects.none(), empty_label="请选择", error_messages=CHOOSE
    )
    planned_investment = _money("计划投资（万元）")

    def __init__(self, *args: Any, towns: QuerySet[Unit], units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="lead_%s", **kwargs)
        self.fields["town"].queryset = towns  # type: ignore[attr-defined]
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]


class CalendarForm(StyledForm, forms.Form):
    """The calendar's filters; a bad value shows the month unfiltered by it."""

    month = forms.DateField(
        label="月份",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )
    leader = forms.ModelChoiceField(
        label="县级领导", queryset=User.objects.none(), required=False, empty_label="全部领导"
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], leaders: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]


class YearForm(StyledForm, forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y} 年") for y in years]  # type: ignore[attr-defined]
