from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from zhaoshang.core.forms import StyledForm
from zhaoshang.org.models import Unit
from zhaoshang.outreach.models import Agreement, Contact, Event, InvestorVisit, Trip


class OriginForm(StyledForm, forms.Form):
    introducing_unit = forms.ModelChoiceField(
        label="引入单位", queryset=Unit.objects.none(), required=False, empty_label="未明确"
    )
    trip = forms.ModelChoiceField(
        label="来自外出招商", queryset=Trip.objects.none(), required=False, empty_label="无"
    )
    visit = forms.ModelChoiceField(
        label="来自来访考察", queryset=InvestorVisit.objects.none(), required=False, empty_label="无"
    )
    event = forms.ModelChoiceField(
        label="来自招商活动", queryset=Event.objects.none(), required=False, empty_label="无"
    )
    agreement = forms.ModelChoiceField(
        label="委托招商协议", queryset=Agreement.objects.none(), required=False, empty_label="无"
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        trips: QuerySet[Trip],
        visits: QuerySet[InvestorVisit],
        events: QuerySet[Event],
        agreements: QuerySet[Agreement],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, auto_id="origin_%s", **kwargs)
        for name, rows in (
            ("introducing_unit", units),
            ("trip", trips),
            ("visit", visits),
            ("event", events),
            ("agreement", agreements),
        ):
            self.fields[name].queryset = rows  # type: ignore[attr-defined]


class ClaimForm(StyledForm, forms.Form):
    referrer = forms.ModelChoiceField(
        label="引资人", queryset=Contact.objects.none(), empty_label="请选择登记的联络对象"
    )
    claimant_unit = forms.ModelChoiceField(
        label="申报单位", queryset=Unit.objects.none(), empty_label="请选择"
    )
    evidence = forms.CharField(
        label="引荐经过及证明材料",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="何时、经谁介绍、与投资方的联系经过，以及可查证的材料（邮件、会谈纪要、委托协议等）",
    )

    def __init__(self, *args: Any, contacts: QuerySet[Contact], units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="claim_%s", **kwargs)
        self.fields["referrer"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["claimant_unit"].queryset = units  # type: ignore[attr-defined]


class DecisionForm(StyledForm, forms.Form):
    DECISIONS = [("verify", "核实无误"), ("recognise", "予以认定"), ("refuse", "不予认定")]
    decision = forms.ChoiceField(label="办理", choices=DECISIONS)
    note = forms.CharField(label="意见", max_length=300, required=False, help_text="不予认定须写明原因")

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="decide_%s", **kwargs)
        self.fields["decision"].choices = [c for c in self.DECISIONS if c[0] in allowed]  # type: ignore[attr-defined]
