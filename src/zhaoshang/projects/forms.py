from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import QuerySet

from zhaoshang.core.forms import CorrectionReason, StyledForm
from zhaoshang.core.versioning import VersionedForm
from zhaoshang.org.models import Unit, User
from zhaoshang.projects.engines.lifecycle import DROP_REASONS, EVIDENCE_LABELS
from zhaoshang.projects.models import CURRENCIES, FUND_SOURCES, FUND_USES, Project, Review
from zhaoshang.projects.services import VOTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(VersionedForm, StyledForm, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "investor_name",
            "investor_origin",
            "investor_rank",
            "investor_untrustworthy",
            "project_type",
            "channel",
            "referrer",
            "industry_code",
            "description",
            "planned_investment",
            "registered_capital",
            "land_needed_mu",
            "in_standard_building",
            "floor_area_ratio",
            "energy_tce",
            "promised_output",
            "promised_tax",
            "promised_start",
            "promised_production",
            "moved_in_on",
            "town",
            "park",
            "lead_unit",
            "member_units",
            "responsible_leader",
            "task_force",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "promised_start": DATE,
            "promised_production": DATE,
            "moved_in_on": DATE,
            "member_units": forms.SelectMultiple(attrs={"size": 4}),
            "task_force": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(
        self,
        *args: Any,
        towns: QuerySet[Unit],
        parks: QuerySet[Unit],
        units: QuerySet[Unit],
        leaders: QuerySet[User],
        people: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns  # type: ignore[attr-defined]
        self.fields["park"].queryset = parks  # type: ignore[attr-defined]
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["responsible_leader"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["member_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["task_force"].queryset = people  # type: ignore[attr-defined]


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


VOTE_ROWS = 7


class ReviewForm(StyledForm, forms.Form):
    """The committee's decision with a line per member's vote. Own element ids: it shares the page."""

    decision = forms.ChoiceField(
        label="预审结论", choices=[("pass", "通过"), ("conditional", "有条件通过"), ("reject", "不通过")]
    )
    conditions = forms.CharField(label="通过条件", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label="预审意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="review_%s", **kwargs)
        for i in range(1, VOTE_ROWS + 1):
            self.fields[f"member_{i}"] = forms.CharField(label=f"成员 {i}", required=False, max_length=40)
            self.fields[f"vote_{i}"] = forms.ChoiceField(
                label=f"成员 {i} 表决", required=False, choices=[("", "—"), *VOTES.items()]
            )
            self.fields[f"vote_note_{i}"] = forms.CharField(
                label=f"成员 {i} 意见", required=False, max_length=200
            )
        self.apply_style()

    @property
    def head_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("decision", "conditions", "notes")]

    @property
    def vote_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"member_{i}"], self[f"vote_{i}"], self[f"vote_note_{i}"]) for i in range(1, VOTE_ROWS + 1)
        ]

    def votes(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {"member": data[f"member_{i}"], "vote": data[f"vote_{i}"], "note": data[f"vote_note_{i}"]}
            for i in range(1, VOTE_ROWS + 1)
            if data.get(f"member_{i}")
        ]


class FundArrivalForm(StyledForm, forms.Form):
    on = forms.DateField(label="到位日期", widget=DATE)
    amount = forms.DecimalField(label="到位金额（万元，人民币）", max_digits=16, decimal_places=4)
    source = forms.ChoiceField(label="资金来源", choices=FUND_SOURCES)
    use = forms.ChoiceField(label="资金用途", choices=FUND_USES)
    currency = forms.ChoiceField(label="币种（外资）", required=False, choices=CURRENCIES, initial="CNY")
    foreign_amount = forms.DecimalField(
        label="外币金额（万）", required=False, max_digits=16, decimal_places=4
    )
    exchange_rate = forms.DecimalField(
        label="汇率（1 外币折人民币元）", required=False, max_digits=12, decimal_places=6
    )
    rate_date = forms.DateField(label="汇率日期", required=False, widget=DATE)
    proof_kind = forms.ChoiceField(
        label="证明材料类型", choices=[("bank_record", "银行进账单"), ("invoice", "发票")]
    )
    proof_file = forms.FileField(label="证明材料")
    note = forms.CharField(label="备注", required=False, max_length=300)
    confirm = forms.BooleanField(label="我已核对：金额超过合同金额或其一半属实", required=False)
    confirm_reason = forms.CharField(label="确认原因", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="fund_%s", **kwargs)

    def confirmation(self) -> str:
        """The reason the person confirmed an unusually large amount with; "" when not ticked."""
        return self.cleaned_data["confirm_reason"] if self.cleaned_data.get("confirm") else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("confirm") and not (data.get("confirm_reason") or "").strip():
            self.add_error("confirm_reason", "勾选确认时须写明原因")
        return data


class FundCorrectionForm(FundArrivalForm, CorrectionReason):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proof_file"].required = False
        self.fields["proof_file"].label = "新的证明材料（不换则沿用原件）"


class MilestoneForm(StyledForm, forms.Form):
    name = forms.CharField(label="节点", max_length=200)
    due = forms.DateField(label="计划完成日期", widget=DATE)
    owner_unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, auto_id="milestone_%s", **kwargs)
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]


class FollowUpForm(StyledForm, forms.Form):
    on = forms.DateField(label="跟进日期", widget=DATE)
    what = forms.CharField(label="跟进情况", widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label="下一步", required=False, max_length=300)
    next_date = forms.DateField(label="下一步完成日期", required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="follow_up_%s", **kwargs)


class FollowUpCorrectionForm(FollowUpForm, CorrectionReason):
    pass


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


class MajorTierForm(StyledForm, forms.Form):
    min_investment = forms.DecimalField(
        label="重大项目计划投资下限（万元）", max_digits=16, decimal_places=4, min_value=0
    )


class PreWorkForm(StyledForm, forms.Form):
    """One row of the pre-work checklist, posted to its item's address; built with `prefix=item` so the
    five rows on the page keep their own ids and names."""

    planned_on = forms.DateField(label="计划完成日期", required=False, widget=DATE)
    done_on = forms.DateField(label="完成日期", required=False, widget=DATE)
    note = forms.CharField(label="情况说明", required=False, max_length=300)

    def __init__(self, *args: Any, prefix: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=prefix, **kwargs)
        for field in self.fields.values():  # the row's inputs belong to the row's form (a table cell each)
            field.widget.attrs["form"] = f"pre-work-form-{prefix}"


class MeetingForm(StyledForm, forms.Form):
    on = forms.DateField(label="会议日期", widget=DATE)
    place = forms.CharField(label="会议地点", required=False, max_length=100)
    unit = forms.ModelChoiceField(label="召集单位", queryset=Unit.objects.none())
    members = forms.ModelMultipleChoiceField(
        label="参会委员", queryset=User.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    reviews = forms.ModelMultipleChoiceField(
        label="上会项目（待预审）", queryset=Review.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    agenda = forms.CharField(label="会议议程", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        people: QuerySet[User],
        pending: list[Review],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["members"].queryset = people  # type: ignore[attr-defined]
        reviews: Any = self.fields["reviews"]
        reviews.queryset = Review.objects.filter(pk__in=[r.pk for r in pending]).select_related("project")
        reviews.label_from_instance = lambda r: f"{r.project.name}（{r.submitted_on:%Y-%m-%d} 提交）"


class MeetingDecisionForm(StyledForm, forms.Form):
    """The committee's decision on one project of a meeting: each member (a user) votes on its own line."""

    decision = forms.ChoiceField(
        label="预审结论", choices=[("pass", "通过"), ("conditional", "有条件通过"), ("reject", "不通过")]
    )
    conditions = forms.CharField(label="通过条件", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label="预审意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, review: Review, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, auto_id=f"decide_{review.pk}_%s", **kwargs)
        self.members = members
        for user in members:
            self.fields[f"vote_{user.pk}"] = forms.ChoiceField(
                label=f"{user} 表决", required=False, choices=[("", "未表决"), *VOTES.items()]
            )
            self.fields[f"vote_note_{user.pk}"] = forms.CharField(
                label=f"{user} 意见", required=False, max_length=200
            )
        self.apply_style()

    @property
    def head_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("decision", "conditions", "notes")]

    @property
    def vote_rows(self) -> list[tuple[User, forms.BoundField, forms.BoundField]]:
        return [(u, self[f"vote_{u.pk}"], self[f"vote_note_{u.pk}"]) for u in self.members]

    def votes(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            u.pk: (data[f"vote_{u.pk}"], data[f"vote_note_{u.pk}"])
            for u in self.members
            if data.get(f"vote_{u.pk}")
        }
