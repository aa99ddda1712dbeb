from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.core.exports import audited_download, wants_export
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.models import Job
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import form_problems, paginate, query_without_page, requires
from zhaoshang.evaluation import exports, selectors, services
from zhaoshang.evaluation.filters import RankingFilter
from zhaoshang.evaluation.forms import (
    FactForm,
    ObjectionForm,
    PublishForm,
    ResolveForm,
    RunStartForm,
    SchemeCopyForm,
    SchemeEditForm,
    SchemeNewForm,
)
from zhaoshang.evaluation.method import (
    COVERS,
    FIGURE_LABELS,
    GRADE_LABELS,
    GRADES,
    MISSING,
    SCORINGS,
    STANDARD_INDICATORS,
    MethodError,
    parse,
)
from zhaoshang.evaluation.models import Evaluation, Scheme
from zhaoshang.evaluation.runner import EvaluationProblem
from zhaoshang.evaluation.views_aggregates import aggregates_context
from zhaoshang.org import references

TABS = {"ranking": "排名", "aggregates": "园区与行业", "measures": "差别化措施", "land": "低效用地"}


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def home(request: Request) -> HttpResponse:
    principal = request.principal
    can_configure = principal.can(Action.CONFIGURE_RULES)
    context = {
        "runs": selectors.runs(principal)[:50],
        "schemes": selectors.schemes(principal)[:50] if can_configure else [],
        "can_configure": can_configure,
        "new_form": SchemeNewForm(initial={"year": 2025}),
        "start_form": RunStartForm(),
    }
    return render(request, "evaluation/home.html", context)


@require_POST
@requires(Action.CONFIGURE_RULES)
def scheme_new(request: Request) -> HttpResponse:
    principal = request.principal
    form = SchemeNewForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect("evaluation-home")
    definition = services.shipped_definitions()[form.cleaned_data["template"]]
    scheme = services.scheme_create(
        principal,
        name=form.cleaned_data["name"],
        year=form.cleaned_data["year"],
        unit=references.configured_jurisdiction(principal),
        definition=definition,
    )
    messages.success(request, f"已新建方案：{scheme}。请核对基准值后开始评价。")
    return redirect("scheme-detail", pk=scheme.pk)


def _scheme(request: Request, pk: int) -> Scheme:
    return selectors.schemes(request.principal).get_visible_or_404(request.principal, pk=pk)  # type: ignore[return-value]


@requires(Action.CONFIGURE_RULES)
def scheme_detail(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    scheme = _scheme(request, pk)
    text = json.dumps(scheme.definition, ensure_ascii=False, indent=2)
    form = SchemeEditForm(request.POST or None, initial={"name": scheme.name, "definition": text})
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(
                principal, scheme, name=form.cleaned_data["name"], definition=form.cleaned_data["definition"]
            )
        except ValidationError as exc:
            for problem in exc.message_dict.get("definition", exc.messages):
                form.add_error("definition", problem)
        else:
            messages.success(request, f"已保存方案（第 {scheme.version} 版）。")
            return redirect("scheme-detail", pk=pk)
    try:
        method = parse(scheme.definition)
    except MethodError:
        method = None
    context = {
        "scheme": scheme,
        "method": method,
        "form": form,
        "copy_form": SchemeCopyForm(initial={"year": scheme.year + 1}),
        "start_form": RunStartForm(),
        "figure_labels": FIGURE_LABELS,
        "standard_indicators": STANDARD_INDICATORS,
        "scorings": SCORINGS,
        "missing_labels": MISSING,
        "covers_label": COVERS.get(scheme.covers, scheme.covers),
        "runs": scheme.runs.order_by("-version")[:10],
    }
    return render(request, "evaluation/scheme.html", context)


@require_POST
@requires(Action.CONFIGURE_RULES)
def scheme_copy(request: Request, pk: int) -> HttpResponse:
    scheme = _scheme(request, pk)
    form = SchemeCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "复制到年度：请填写 2000–2100 之间的年份。")
        return redirect("scheme-detail", pk=pk)
    copy = services.scheme_copy(request.principal, scheme, year=form.cleaned_data["year"])
    messages.success(request, f"已复制为 {copy.year} 年度方案，请按当年公布的基准值修改。")
    return redirect("scheme-detail", pk=copy.pk)


@require_POST
@requires(Action.CONFIGURE_RULES)
def run_start(request: Request, pk: int) -> HttpResponse:
    scheme = _scheme(request, pk)
    form = RunStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "公示天数：请填写 1–60 之间的整数。")
        return redirect("scheme-detail", pk=pk)
    try:
        started = services.run_start(
            request.principal,
            scheme,
            notice_days=form.cleaned_data["notice_days"],
            note=form.cleaned_data["note"],
        )
    except (EvaluationProblem, MethodError) as exc:
        messages.error(request, f"无法评价：{exc}")
        return redirect("scheme-detail", pk=pk)
    if isinstance(started, Job):
        return redirect("job-detail", pk=started.pk)
    messages.success(request, f"评价完成，进入公示：{started}。")
    return redirect("run-detail", pk=started.pk)


def _distribution(run: Evaluation, previous: Evaluation | None) -> dict[str, Any]:
    def shares(r: Evaluation | None) -> list[float | None]:
        return [r.counts.get("shares", {}).get(g) for g in GRADES] if r else [None] * len(GRADES)

    return {
        "grades": list(GRADES),
        "this": shares(run),
        "last": shares(previous),
        "this_label": f"{run.year} 年",
        "last_label": f"{previous.year} 年" if previous else "",
    }


def run_detail(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    run = selectors.run_for_page(principal, pk)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "ranking"
    listing = RankingFilter.for_request(request, queryset=RankingFilter.of_run(principal, run))
    if wants_export(request):
        # The ranking sheet is the ranking as filtered and sorted on the page; the filters are recorded.
        data = exports.workbook(principal, run, listing.qs)
        return audited_download(request, data=data, title=str(run), applied=listing.applied(), target=run)
    previous = selectors.previous_run(run)
    method = selectors.method_of(run)
    can_configure = principal.can(Action.CONFIGURE_RULES) and run.status == Evaluation.Status.NOTICE
    context: dict[str, Any] = {
        "run": run,
        "tab": tab,
        "tabs": TABS,
        "method": method,
        "previous": previous,
        "grade_labels": GRADE_LABELS,
        "grade_rows": [
            (
                g,
                GRADE_LABELS[g],
                run.counts.get("grades", {}).get(g, 0),
                run.counts.get("shares", {}).get(g),
                run.counts.get("nominal", {}).get(g),
                (previous.counts.get("grades", {}).get(g) if previous else None),
            )
            for g in GRADES
        ],
        "chart": _distribution(run, previous),
        "objections": selectors.open_objections(principal, run),
        "can_configure": can_configure,
        "blockers": selectors.publication_blockers(run) if can_configure else [],
        "publish_form": PublishForm(),
        "resolve_form": ResolveForm(),
    }
    if tab == "ranking":
        return render_list(request, "evaluation/run.html", "evaluation/_ranking_table.html", listing, context)
    elif tab == "aggregates":
        context |= aggregates_context(request, run)
    elif tab == "measures":
        context["measures"] = selectors.all_measures(principal, run)
    else:
        context["page"] = paginate(request, selectors.low_efficiency(principal, run))
        context["query"] = query_without_page(request)
    return render(request, "evaluation/run.html", context)


def result_detail(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    result = selectors.result_for_page(principal, pk)
    run = result.run
    method = selectors.method_of(run)
    detail = result.detail
    lines = []
    for j, indicator in enumerate(method.indicators):
        values = detail.get("values", [])
        points = detail.get("points", [])
        figures = detail.get("figures", {})
        lines.append(
            {
                "indicator": indicator,
                "numerator": figures.get(indicator.numerator),
                "denominator": figures.get(indicator.denominator),
                "value": values[j] if j < len(values) else None,
                "benchmark": run.benchmarks.get(indicator.key),
                "points": points[j] if j < len(points) else None,
                "imputed": j in detail.get("imputed", []),
            }
        )
    history = selectors.history(principal, result.enterprise, run)
    before = {h.run.year: h.grade for h in history if h.run.year < run.year}
    objections = list(result.objections.select_related("filed_by", "resolved_by"))
    context = {
        "result": result,
        "run": run,
        "method": method,
        "lines": lines,
        "figure_labels": FIGURE_LABELS,
        "grade_label": GRADE_LABELS.get(result.grade, result.grade),
        "history": history,
        "history_chart": {
            "years": [str(h.run.year) for h in history],
            "scores": [float(h.score) if h.score is not None else None for h in history],
            "grades": [h.grade for h in history],
        },
        "measures": selectors.measures_for(run, result, before),
        "objections": objections,
        "objection_history": (
            selectors.objection_history(objections) if principal.can(Action.VIEW_RECORD_HISTORY) else None
        ),
        "can_object": services.can_object(principal, result),
        "objection_form": ObjectionForm(),
        "can_resolve": principal.can(Action.CONFIGURE_RULES) and run.status == Evaluation.Status.NOTICE,
        "resolve_form": ResolveForm(),
        "can_edit_facts": principal.can(Action.EDIT_BUSINESS),
        "fact_form": FactForm(),
        "facts": result.enterprise.year_facts.filter(year=run.year),
    }
    return render(request, "evaluation/result.html", context)


@require_POST
@requires(Action.CONFIGURE_RULES)
def run_publish(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    run = selectors.run_for_page(principal, pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.run_publish(principal, run, early_reason=form.cleaned_data.get("early_reason", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"已发布：{run}。")
    return redirect("run-detail", pk=pk)


@require_POST
@requires(Action.EDIT_BUSINESS)
def fact_save(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    result = selectors.result_for_page(principal, pk)
    form = FactForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect("result-detail", pk=pk)
    services.fact_save(
        principal,
        result.enterprise,
        year=result.run.year,
        kind=form.cleaned_data["kind"],
        count=form.cleaned_data["count"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, "已保存。重新评价后计入得分。")
    return redirect("result-detail", pk=pk)
