"""Pages for the tracking rules and the cohort requirements: edit the rulebooks, see who is behind."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core.exports import audited_download, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import requires
from zhaoshang.core.xlsx import workbook_of
from zhaoshang.org.models import Unit
from zhaoshang.projects import rule_forms, rule_preview, rulebooks, selectors
from zhaoshang.projects.engines import cohorts, deadlines
from zhaoshang.projects.engines.errors import RulesError
from zhaoshang.projects.engines.lifecycle import STAGE_LABELS
from zhaoshang.projects.forms import RulebookForm
from zhaoshang.projects.models import RANKS

RANK_LABELS = dict(RANKS[1:])
# The rulebooks a coordinator may also edit in a form of Chinese labels (the JSON stays for experts).
FORM_PAGES = {
    "tracking": "project-rules-tracking",
    "review": "project-rules-review",
    "cohorts": "project-rules-cohorts",
}


def _chosen(units: list[Unit], wanted: str | None) -> Unit:
    """The unit asked for among those the principal may read; their jurisdiction first by default."""
    if not units:
        raise Http404
    if wanted:
        for unit in units:
            if str(unit.pk) == wanted:
                return unit
        raise Http404
    return next((u for u in units if u.kind.is_jurisdiction), units[0])


def _readable(kind: str, content: dict[str, Any]) -> tuple[Any, list[str]]:
    """The parsed rules for the tables, or the problems when the stored content cannot be read."""
    try:
        return rulebooks.parsed(kind, content), []
    except RulesError as exc:
        return None, exc.problems


def _auto_id(kind: str) -> str:
    # One form per kind on the page: each needs its own element ids.
    return f"id_{kind}_%s" if kind in rulebooks.KIND_LABELS else "id_%s"


def rules_page(request: Request) -> HttpResponse:
    principal = request.principal
    units = rulebooks.rule_units(principal)
    unit = _chosen(units, request.POST.get("unit") or request.GET.get("unit"))
    editable = rulebooks.editable_unit_ids(principal, [unit])
    bound: RulebookForm | None = None
    if request.method == "POST":
        if not principal.can(Action.CONFIGURE_RULES):
            raise PermissionDenied
        bound = RulebookForm(request.POST, auto_id=_auto_id(request.POST.get("kind", "")))
        if bound.is_valid():
            kind = bound.cleaned_data["kind"]
            try:
                rulebooks.rulebook_save(principal, unit, kind, bound.cleaned_data["content"])
            except ValidationError as exc:
                for problem in exc.message_dict.get("content", exc.messages):
                    bound.add_error("content", problem)
            else:
                messages.success(request, f"已保存{unit.name}的{rulebooks.KIND_LABELS[kind]}。")
                return redirect(f"{reverse('project-rules')}?unit={unit.pk}#{kind}")
    sections = []
    for kind, resolved in rulebooks.resolve_all(unit).items():
        text = json.dumps(resolved.content, ensure_ascii=False, indent=2)
        if bound is not None and request.POST.get("kind") == kind:
            form = bound  # a refused save comes back as typed, with every problem
        else:
            form = RulebookForm(initial={"kind": kind, "content": text}, auto_id=_auto_id(kind))
        rules, problems = _readable(kind, resolved.content)
        layers: list[str] = []
        if kind == "cohorts":  # a county's cohort rules add to its city's: show them all, each by whose
            layered = rulebooks.cohort_rules(unit)
            rules, problems, layers = layered.rules, layered.problems, layered.sources
        sections.append(
            {
                "kind": kind,
                "label": rulebooks.KIND_LABELS[kind],
                "resolved": resolved,
                "own": resolved.source is not None and resolved.source.pk == unit.pk,
                "text": text,
                "form": form,
                "rules": rules,
                "problems": problems,
                "layers": layers,
                "form_url": reverse(FORM_PAGES[kind]) if kind in FORM_PAGES else "",
            }
        )
    context = {
        "unit": unit,
        "units": units,
        "can_edit": unit.pk in editable,
        "sections": sections,
        "stage_labels": STAGE_LABELS,
        "kind_labels": deadlines.KIND_LABELS,
        "rank_labels": RANK_LABELS,
    }
    return render(request, "projects/rules.html", context)


def cohort_page(request: Request) -> HttpResponse:
    principal = request.principal
    units = rulebooks.rule_units(principal)
    unit = _chosen(units, request.GET.get("unit"))
    layered = rulebooks.cohort_rules(unit)
    rules = layered.rules
    signed = list(selectors.cohort_projects(principal, unit))
    today = timezone.localdate()
    results = cohorts.evaluate_all(rules, [selectors.cohort_facts(p) for p in signed], today)
    if wants_export(request):
        return audited_download(
            request,
            data=workbook_of(_export_tables(results)),
            title="批次开工要求",
            applied=[("单位", unit.name)],
            target_type="projects.project",
            filename=f"批次开工要求_{unit.name}",
        )
    context = {
        "unit": unit,
        "units": units,
        "layered": layered,
        "problems": layered.problems,
        "results": [(r, rule_preview.ranks_label(r.rule)) for r in results],
        "today": today,
    }
    return render(request, "projects/cohorts.html", context)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _export_tables(results: list[cohorts.CohortResult]) -> list[Any]:
    summary = (
        [
            r.rule.name,
            r.rule.source,
            r.rule.signed_label,
            rule_preview.ranks_label(r.rule),
            r.rule.reach_label,
            r.rule.by,
            len(r.covered),
            len(r.reached),
            r.required,
            _percent(r.share_achieved),
            _percent(r.rule.share),
            "达标" if r.met else "未达标",
        ]
        for r in results
    )
    behind = (
        [
            r.rule.name,
            p.name,
            p.investor_name,
            p.signed_on,
            p.get_stage_display(),
            p.town.name,
            str(p.responsible_leader or ""),
        ]
        for r in results
        for p in r.behind
    )
    return [
        (
            "批次汇总",
            [
                "要求",
                "规则来源",
                "签约年度",
                "500强",
                "目标阶段",
                "截止日期",
                "项目数",
                "已达到",
                "应达到",
                "完成比例",
                "要求比例",
                "结论",
            ],
            summary,
        ),
        ("未达到的项目", ["要求", "项目", "投资方", "签约日期", "阶段", "乡镇", "包抓领导"], behind),
    ]


def _rule_form_page(
    request: Request, kind: str, forms_of: Any, content_of: Any, preview: Any
) -> HttpResponse:
    """A rulebook edited in a form: 预览影响 shows what the draft changes, 确认保存 saves it (audited).

    `forms_of(data=…)` or `forms_of(content=…)` gives the form and its rows, `content_of` the JSON they
    build, `preview(principal, unit, content)` what would change; the stored parser checks the JSON."""
    principal = request.principal
    units = rulebooks.rule_units(principal)
    unit = _chosen(units, request.POST.get("unit") or request.GET.get("unit"))
    if unit.pk not in rulebooks.editable_unit_ids(principal, [unit]):
        raise PermissionDenied
    resolved = rulebooks.resolve(unit, kind)
    label = rulebooks.KIND_LABELS[kind]
    change, problems = None, []
    if request.method == "POST":
        form, rows = forms_of(data=request.POST)
        if form.is_valid() and rows.is_valid():
            content = content_of(form, rows)
            problems = rulebooks.problems(kind, content)
            if not problems and request.POST.get("confirm") == "1":
                rulebooks.rulebook_save(principal, unit, kind, content)
                messages.success(request, f"已保存{unit.name}的{label}。")
                return redirect(f"{reverse('project-rules')}?unit={unit.pk}#{kind}")
            if not problems:
                change = preview(principal, unit, content)
    else:
        form, rows = forms_of(content=resolved.content)
    context = {
        "unit": unit,
        "resolved": resolved,
        "label": label,
        "form": form,
        "rows": rows,
        "change": change,
        "problems": problems,
    }
    return render(request, f"projects/rules_{kind}_form.html", context)


@requires(Action.CONFIGURE_RULES)
def tracking_form_page(request: Request) -> HttpResponse:
    """The tracking rules in a form: the preview counts the projects that change alert state."""

    def preview(principal: Any, unit: Unit, content: dict[str, Any]) -> Any:
        return rule_preview.tracking_change(principal, unit, content, timezone.localdate())

    return _rule_form_page(
        request, "tracking", rule_forms.tracking_forms, rule_forms.tracking_content, preview
    )


@requires(Action.CONFIGURE_RULES)
def review_form_page(request: Request) -> HttpResponse:
    """The pre-review rules in a form: the preview shows how the suggestion changes for the projects
    not yet signed."""
    return _rule_form_page(
        request, "review", rule_forms.review_forms, rule_forms.review_content, rule_preview.review_change
    )


@requires(Action.CONFIGURE_RULES)
def cohort_form_page(request: Request) -> HttpResponse:
    """The cohort requirements in a form: the preview shows each requirement, the layers above
    included, and who meets it under the draft."""
    return _rule_form_page(
        request, "cohorts", rule_forms.cohort_forms, rule_forms.cohort_content, rule_preview.cohort_change
    )
