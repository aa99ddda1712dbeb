"""The evaluation scheme edited in a form: 预览影响 re-grades the scheme's year under the draft, 确认保存
saves it as the scheme's next version (audited). The JSON stays on the scheme page for experts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import requires
from zhaoshang.evaluation import scheme_preview, selectors, services
from zhaoshang.evaluation.method import COVERS, MethodError, parse
from zhaoshang.evaluation.models import Scheme
from zhaoshang.evaluation.runner import EvaluationProblem
from zhaoshang.evaluation.scheme_forms import SchemeForms


@requires(Action.CONFIGURE_RULES)
def scheme_form(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    scheme: Scheme = selectors.schemes(principal).get_visible_or_404(principal, pk=pk)  # type: ignore[attr-defined]
    change, problems = None, []
    if request.method == "POST":
        forms = SchemeForms(scheme.name, scheme.definition, request.POST)
        if forms.is_valid():
            draft = forms.built()
            try:
                parse(draft)
            except MethodError as exc:
                problems = exc.problems
            if not problems and request.POST.get("confirm") == "1":
                try:
                    services.scheme_update(principal, scheme, name=forms.name(), definition=draft)
                except ValidationError as exc:
                    problems = exc.messages
                else:
                    messages.success(request, f"已保存方案（第 {scheme.version} 版）。")
                    return redirect("scheme-detail", pk=pk)
            if not problems:
                try:
                    change = scheme_preview.regrade(scheme, draft)
                except EvaluationProblem as exc:
                    problems = [str(exc)]
    else:
        forms = SchemeForms(scheme.name, scheme.definition)
    context = {
        "scheme": scheme,
        "covers_label": COVERS.get(scheme.covers, scheme.covers),
        "forms": forms,
        "change": change,
        "problems": problems,
    }
    return render(request, "evaluation/scheme_form.html", context)
