"""The project list's filters: the page, its exports and the API filter the same way."""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from zhaoshang.core import industries
from zhaoshang.core.lists import ScopedChoice, ScopedFilterSet, Sort, Ticked
from zhaoshang.core.pickers import IndustryInput
from zhaoshang.core.scoping import Principal
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.org.models import Unit, User
from zhaoshang.projects import major, selectors
from zhaoshang.projects.engines.lifecycle import PATH
from zhaoshang.projects.models import CHANNELS, PROJECT_TYPES, RANKS, STAGES, Project

VIEWS = [("list", "列表"), ("board", "看板")]


def lead_or_member_units(principal: Principal) -> QuerySet[Unit]:
    """Units one may see, and those leading or serving the projects one may see."""
    shown = Project.objects.visible_to(principal)
    serving = Project.member_units.through.objects.filter(project__in=shown.values("pk")).values("unit_id")
    return (
        Unit.objects.filter(
            Q(pk__in=Unit.objects.visible_to(principal).values("pk"))
            | Q(pk__in=shown.values("lead_unit_id"))
            | Q(pk__in=serving)
        )
        .filter(is_active=True)
        .order_by("path")
    )


def leaders_of(principal: Principal) -> QuerySet[User]:
    """The leaders answering for the projects one may see."""
    shown = Project.objects.visible_to(principal).exclude(responsible_leader=None)
    return User.objects.filter(pk__in=shown.values("responsible_leader_id")).order_by("display_name", "pk")


class ProjectFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label="项目或投资方", method="search")
    stage = django_filters.ChoiceFilter(label="阶段", choices=STAGES, empty_label="全部阶段")
    channel = django_filters.ChoiceFilter(label="招商方式", choices=CHANNELS, empty_label="全部方式")
    investor_rank = django_filters.ChoiceFilter(label="投资方类别", choices=RANKS[1:], empty_label="不限")
    project_type = django_filters.ChoiceFilter(
        label="项目类型", choices=PROJECT_TYPES, empty_label="全部类型"
    )
    town = ScopedChoice(label="乡镇", scope=enterprise_selectors.towns, empty_label="全部乡镇")
    unit = ScopedChoice(
        label="牵头或责任单位", scope=lead_or_member_units, empty_label="全部单位", method="served_by"
    )
    responsible_leader = ScopedChoice(label="包抓领导", scope=leaders_of, empty_label="全部领导")
    region = django_filters.CharFilter(
        label="投资方来源地", field_name="investor_origin", lookup_expr="icontains", max_length=30
    )
    industry = django_filters.CharFilter(
        label="行业", method="in_industry", widget=IndustryInput(min_level=1)
    )
    signed_year = django_filters.NumberFilter(
        label="签约年度", field_name="signed_on", lookup_expr="year", min_value=2000, max_value=2100
    )
    overdue = Ticked(label="只看有预警的", method="alerting")
    mine = Ticked(label="只看我的", method="of_mine")
    major = Ticked(label="只看重大项目", method="of_major")
    view = django_filters.ChoiceFilter(
        label="视图", choices=VIEWS, method="as_shown", widget=forms.HiddenInput
    )
    sort = Sort(
        fields={
            "name": "项目",
            "stage_order": "阶段",
            "planned_investment": "计划投资",
            "contract_amount": "合同金额",
            "signed_on": "签约日期",
            "last_follow_up": "最近跟进",
        },
        default="-created_at",
    )

    class Meta:
        model = Project
        fields: list[str] = []

    @classmethod
    def base_queryset(cls, principal: Principal) -> QuerySet[Project]:
        # The stages sort along the path a project walks, not by their codes; 退出 comes last.
        order = [When(stage=s.value, then=Value(i)) for i, s in enumerate(PATH)]
        # `visible_to` keeps the model's own queryset class (its `for_list`); the stubs cannot tell.
        scoped: Any = Project.objects.visible_to(principal)
        rows = scoped.for_list()
        rows = rows.annotate(stage_order=Case(*order, default=Value(len(PATH)), output_field=IntegerField()))
        return selectors.with_alert_dates(rows)

    def applied(self) -> list[tuple[str, str]]:
        # The view (table or board) shows the same projects: it is no filter.
        return [(label, value) for label, value in super().applied() if label != "视图"]

    def board(self) -> bool:
        self.form.is_valid()
        return self.form.cleaned_data.get("view") == "board"

    def search(self, rows: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        q = value.strip()
        return rows.filter(Q(name__icontains=q) | Q(investor_name__icontains=q)) if q else rows

    def served_by(self, rows: QuerySet[Project], name: str, unit: Unit) -> QuerySet[Project]:
        serving = Project.member_units.through.objects.filter(unit=unit).values("project_id")
        return rows.filter(Q(lead_unit=unit) | Q(pk__in=serving))

    def in_industry(self, rows: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        """A 门类 letter or a code prefix; "30 非金属矿物制品业" from the picker reads as "30"."""
        code = value.split()[0].upper() if value.strip() else ""
        if code.isalpha():
            divisions = [i.code for i in industries.table().values() if i.level == 2 and i.section == code]
            return rows.filter(
                reduce(operator.or_, (Q(industry_code__startswith=d) for d in divisions), Q(pk=None))
            )
        return rows.filter(industry_code__startswith=industries.normalise(code))

    def alerting(self, rows: QuerySet[Project], name: str, value: bool) -> QuerySet[Project]:
        index = selectors.tracking_index(self.principal)
        return rows.filter(selectors.alerting_for(index, timezone.localdate()))

    def of_mine(self, rows: QuerySet[Project], name: str, value: bool) -> QuerySet[Project]:
        me = self.principal.user_id
        if not me:
            return rows.none()
        task_forces = Project.task_force.through.objects.filter(user_id=me).values("project_id")
        return rows.filter(Q(responsible_leader_id=me) | Q(pk__in=task_forces))

    def of_major(self, rows: QuerySet[Project], name: str, value: bool) -> QuerySet[Project]:
        return rows.filter(major.major_condition())

    def as_shown(self, rows: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return rows


class AlertFilter(ProjectFilter):
    """The alert list: the project list's filters but the ones it has in itself (alerts, the view)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("overdue", "view"):
            del self.filters[name]


def projects_matching(principal: Principal, data: Any) -> QuerySet[Project]:
    """The projects a list with these filters shows (the page's query string, or the API's)."""
    return ProjectFilter(data or {}, principal=principal).qs
