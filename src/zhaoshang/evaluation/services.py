"""Audited writes of the evaluation: schemes, yearly facts, runs, objections and publication."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import audit, jobs
from zhaoshang.core.models import AuditEvent, Job
from zhaoshang.core.permissions import require, require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.evaluation import notices, runner, selectors
from zhaoshang.evaluation.method import MethodError, parse
from zhaoshang.evaluation.models import Evaluation, EvaluationResult, Objection, Scheme, YearFact
from zhaoshang.org.models import Unit

SHIPPED = Path(__file__).resolve().parent / "schemes"


def shipped_definitions() -> dict[str, dict[str, Any]]:
    """The schemes that ship with the product, ready to copy and edit: file stem -> definition."""
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(SHIPPED.glob("*.json"))}


def _checked(definition: Any) -> dict[str, Any]:
    try:
        parse(definition)
    except MethodError as exc:
        raise ValidationError({"definition": exc.problems}) from exc
    return definition


def scheme_create(
    by: Principal,
    *,
    name: str,
    year: int,
    unit: Unit,
    definition: dict[str, Any],
    copied_from: Scheme | None = None,
) -> Scheme:
    require(by, Action.CONFIGURE_RULES)
    definition = _checked(definition)
    scheme = Scheme(
        name=name.strip() or str(definition.get("name", "")),
        year=year,
        unit=unit,
        covers=definition.get("covers", "above"),
        definition=definition,
        copied_from=copied_from,
    )
    require_in_scope(by, scheme.unit, Action.CONFIGURE_RULES)
    return audited_create(scheme)


def scheme_update(by: Principal, scheme: Scheme, *, name: str, definition: dict[str, Any]) -> Scheme:
    require_in_scope(by, scheme, Action.CONFIGURE_RULES)
    definition = _checked(definition)
    changes: dict[str, Any] = {
        "name": name.strip() or scheme.name,
        "covers": definition.get("covers", scheme.covers),
    }
    if definition != scheme.definition:
        changes |= {"definition": definition, "version": scheme.version + 1}
    audited_update(scheme, changes)
    return scheme


def scheme_copy(by: Principal, scheme: Scheme, *, year: int) -> Scheme:
    """Next year's scheme starts as a copy of this one (benchmarks are then edited for the year)."""
    name = scheme.name
    return scheme_create(
        by, name=name, year=year, unit=scheme.unit, definition=scheme.definition, copied_from=scheme
    )


def fact_save(
    by: Principal, enterprise: Enterprise, *, year: int, kind: str, count: int, note: str = ""
) -> YearFact | None:
    """Set (or with count 0, clear) one fact of an enterprise's year. Cleared facts stay in the log."""
    require_in_scope(by, enterprise, Action.EDIT_BUSINESS)
    fact = YearFact.objects.filter(enterprise=enterprise, year=year, kind=kind).first()
    if fact is None:
        if count <= 0:
            return None
        return audited_create(YearFact(enterprise=enterprise, year=year, kind=kind, count=count, note=note))
    audited_update(fact, {"count": max(count, 0), "note": note})
    return fact


def run_start(by: Principal, scheme: Scheme, *, notice_days: int = 7, note: str = "") -> Evaluation | Job:
    """Evaluate now for a county; a larger scope goes to the worker and the page follows its progress."""
    require_in_scope(by, scheme, Action.CONFIGURE_RULES)
    size = Enterprise.objects.filter(runner._in_scope(scheme.unit)).count()
    if size <= runner.INLINE_LIMIT:
        return runner.run_evaluation(by, scheme, notice_days=notice_days, note=note)
    from zhaoshang.org.models import User

    return jobs.enqueue(
        "evaluation.run",
        {"scheme": scheme.pk, "notice_days": notice_days, "note": note},
        key=f"evaluation.run:{scheme.pk}:{scheme.version}:{timezone.now().isoformat()}",
        user=User.objects.filter(pk=by.user_id).first(),
    )


def objection_file(by: Principal, result: EvaluationResult, *, text: str) -> Objection:
    """An enterprise (or staff on its behalf) objects during the public notice."""
    require_in_scope(by, result.enterprise, Action.OBJECT)
    # The run's status as stored now, not as it was when the page loaded the result.
    if not Evaluation.objects.filter(pk=result.run_id, status=Evaluation.Status.NOTICE).exists():
        raise ValidationError({"text": "只能在公示期内对评价结果提出异议。"})
    if not text.strip():
        raise ValidationError({"text": "异议内容：必须填写。"})
    with transaction.atomic():
        objection = audited_create(Objection(result=result, text=text.strip(), filed_by_id=by.user_id))
        notices.objection_filed(by, objection)  # the run's coordinators hear of it
    return objection


def objection_resolve(by: Principal, objection: Objection, *, upheld: bool, resolution: str) -> Objection:
    require_in_scope(by, objection.result.run, Action.CONFIGURE_RULES)
    if objection.status != Objection.Status.OPEN:
        raise ValidationError({"resolution": "这条异议已经处理过了。"})
    if not resolution.strip():
        raise ValidationError({"resolution": "处理意见：必须填写（成立的异议请写明更正了什么）。"})
    audited_update(
        objection,
        {
            "status": Objection.Status.UPHELD if upheld else Objection.Status.REJECTED,
            "resolution": resolution.strip(),
            "resolved_by_id": by.user_id,
            "resolved_at": timezone.now(),
        },
        reason=resolution.strip(),
    )
    notices.objection_resolved(by, objection)  # the enterprise hears the outcome
    return objection


def objection_reopen(by: Principal, objection: Objection, *, reason: str) -> Objection:
    """An upheld objection is looked at again (it was upheld by mistake, or the correction needs a
    second look): open once more, so it must be resolved again before publication."""
    require_in_scope(by, objection.result.run, Action.CONFIGURE_RULES)
    if objection.status != Objection.Status.UPHELD:
        raise ValidationError({"reason": "只有已成立的异议可以重新打开。"})
    if not reason.strip():
        raise ValidationError({"reason": "重新打开的原因：必须填写。"})
    audited_update(
        objection,
        {"status": Objection.Status.OPEN},
        reason=f"重新打开：{reason.strip()}",
    )
    return objection


def run_publish(by: Principal, run: Evaluation, *, early_reason: str = "") -> Evaluation:
    """Publish after the notice period with every objection resolved; earlier only with a reason."""
    require_in_scope(by, run, Action.CONFIGURE_RULES)
    if run.status != Evaluation.Status.NOTICE:
        raise ValidationError({"status": "只有公示中的评价结果可以发布。"})
    open_count = Objection.objects.filter(result__run=run, status=Objection.Status.OPEN).count()
    if open_count:
        raise ValidationError({"status": f"还有 {open_count} 条异议未处理，处理完后才能发布。"})
    if blockers := selectors.publication_blockers(run):
        names = "、".join(dict.fromkeys(o.result.enterprise.name for o in blockers))
        raise ValidationError(
            {
                "status": f"{names}的异议已成立，本次评价尚未反映更正：请更正数据后重新评价，"
                "或说明原因重新打开该异议，然后才能发布。"
            }
        )
    early = timezone.localdate() < run.notice_until
    if early and not early_reason.strip():
        raise ValidationError(
            {"early_reason": f"公示期到 {run.notice_until:%Y-%m-%d} 才结束；提前发布须写明原因。"}
        )
    with transaction.atomic():
        replaced = list(
            Evaluation.objects.filter(
                unit=run.unit, year=run.year, covers=run.covers, status=Evaluation.Status.PUBLISHED
            ).values_list("pk", flat=True)
        )
        Evaluation.objects.filter(pk__in=replaced).update(status=Evaluation.Status.SUPERSEDED)
        audited_update(
            run,
            {
                "status": Evaluation.Status.PUBLISHED,
                "published_at": timezone.now(),
                "published_by_id": by.user_id,
            },
            reason=early_reason.strip() or "公示期满，发布",
        )
        if replaced:
            audit.record(
                AuditEvent.Action.UPDATE,
                run,
                after={"superseded_runs": replaced},
                reason="新版本发布，旧版本作废",
            )
        notices.run_published(run)  # each enterprise in it hears its grade
    return run


def can_object(by: Principal, result: EvaluationResult) -> bool:
    if result.run.status != Evaluation.Status.NOTICE or not by.can(Action.OBJECT):
        return False
    try:
        require_in_scope(by, result.enterprise, Action.OBJECT)
    except PermissionDenied:
        return False
    return True
