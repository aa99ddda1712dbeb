"""The forms of the contacts side: a contact, an encounter with it, a commission agreement and the
projects brought under it, and an overseas office's link. Pickers come from the caller (the
`org.references` querysets, or the reads of `selectors.contacts`); the services check the rest and
their refusals, each naming its field, are put beside it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from zhaoshang.core.forms import StyledForm
from zhaoshang.org.models import Unit, User
from zhaoshang.outreach.models import CONTACT_KINDS, ENCOUNTER_KINDS, REGIONS, Contact
from zhaoshang.projects.models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=CONTACT_KINDS)
    name = forms.CharField(label="名称或姓名", max_length=120)
    organisation = forms.CharField(label="所在单位及职务", max_length=160, required=False)
    home_town = forms.CharField(
        label="家乡（乡镇）", max_length=60, required=False, help_text="乡友企业家须写明家乡"
    )
    based_in = forms.CharField(label="现在所在地", max_length=60, required=False)
    region = forms.ChoiceField(label="所在区域", choices=REGIONS, initial="other")
    industry = forms.CharField(label="主要行业", max_length=60, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    keeper_unit = forms.ModelChoiceField(label="联系单位", queryset=Unit.objects.none(), empty_label="请选择")
    keeper_leader = forms.ModelChoiceField(
        label="联系县领导", queryset=User.objects.none(), required=False, empty_label="暂不指定"
    )
    linked_units = forms.ModelMultipleChoiceField(
        label="挂钩联系单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="挂钩联系本商会、协会的招商小分队或乡镇（可多选）",
    )
    note = forms.CharField(label="情况简介", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label="保持联系", required=False, initial=True)
    reason = forms.CharField(label="修改说明", max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        leaders: QuerySet[User],
        linkable: QuerySet[Unit],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keeper_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["keeper_leader"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["linked_units"].queryset = linkable  # type: ignore[attr-defined]
        if not editing:
            del self.fields["reason"]


class EncounterForm(StyledForm, forms.Form):
    on = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    kind = forms.ChoiceField(label="方式", choices=ENCOUNTER_KINDS, initial="meeting")
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), empty_label="请选择")
    summary = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="encounter_%s", **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class AgreementForm(StyledForm, forms.Form):
    contact = forms.ModelChoiceField(
        label="受托方", queryset=Contact.objects.none(), empty_label="请选择商会、协会或中介机构"
    )
    title = forms.CharField(label="协议名称", max_length=160)
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="截止日期", widget=DATE)
    scope_text = forms.CharField(label="委托范围", widget=forms.Textarea(attrs={"rows": 3}))
    reward_terms = forms.CharField(label="奖励条款", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, parties: QuerySet[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = parties  # type: ignore[attr-defined]


class AgreementProjectsForm(StyledForm, forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label="引进的项目",
        queryset=Project.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="本县您可查看的项目（已退出的除外），可多选",
    )

    def __init__(self, *args: Any, choices: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="projects_%s", **kwargs)
        self.fields["projects"].queryset = choices  # type: ignore[attr-defined]


class OfficeLinkForm(StyledForm, forms.Form):
    """One office's link; the choices are read once for every office's form on the page."""

    office = forms.TypedChoiceField(label="驻外招商分局", coerce=int, widget=forms.HiddenInput)
    body = forms.TypedChoiceField(label="牵头领导机关", coerce=int)
    leader = forms.TypedChoiceField(label="联系县领导", coerce=int)
    region = forms.ChoiceField(label="负责区域", choices=[("", "请选择"), *REGIONS])

    def __init__(
        self,
        *args: Any,
        offices: list[Unit],
        bodies: list[Unit],
        leaders: list[User],
        key: int | str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, auto_id=f"office{key}_%s", **kwargs)
        self.key = key
        self.objects: dict[str, dict[int, Any]] = {
            "office": {u.pk: u for u in offices},
            "body": {u.pk: u for u in bodies},
            "leader": {u.pk: u for u in leaders},
        }
        self.fields["office"].choices = [(u.pk, u.name) for u in offices]  # type: ignore[attr-defined]
        self.fields["body"].choices = [("", "请选择"), *((u.pk, u.name) for u in bodies)]  # type: ignore[attr-defined]
        self.fields["leader"].choices = [("", "请选择"), *((u.pk, str(u)) for u in leaders)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        for name, objects in self.objects.items():
            if data.get(name) is not None:
                data[name] = objects[data[name]]
        return data
