"""Reads of the promotion library, always from what the principal may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.scoping import Principal
from zhaoshang.org import references
from zhaoshang.org.models import Unit
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Project
from zhaoshang.promotion.models import PromotionFile, PromotionProject


def promotion_for_page(principal: Principal, pk: int) -> PromotionProject:
    rows = PromotionProject.objects.select_related("unit", "project", "project__town")
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[attr-defined,return-value]


def files(promotion: PromotionProject) -> QuerySet[PromotionFile]:
    # The bytes stay in the database until someone downloads the file.
    return promotion.files.defer("content").select_related("uploaded_by").order_by("uploaded_at", "pk")


def file_for_download(principal: Principal, pk: int, file_pk: int) -> PromotionFile:
    return PromotionFile.objects.get_visible_or_404(  # type: ignore[attr-defined,return-value]
        principal, pk=file_pk, promotion_id=pk
    )


def matchable_projects(principal: Principal) -> QuerySet[Project]:
    """Projects the person may see and that are still alive, newest first, for the match select."""
    return (
        Project.objects.visible_to(principal)
        .exclude(stage=Stage.DROPPED.value)
        .select_related("town")
        .order_by("-created_at", "-pk")
    )


def planning_units(principal: Principal) -> QuerySet[Unit]:
    """Units a proposal may be filed under: those the person may write for."""
    return references.writable_units(principal).filter(is_active=True)


def history(
    principal: Principal, promotion: PromotionProject
) -> list[tuple[AuditEvent, list[tuple[str, Any, Any]]]]:
    """The proposal's events with statuses, depths and units in words, not the stored codes."""
    events = list(audit.history(promotion))
    fields = {f.name: f for f in PromotionProject._meta.concrete_fields if f.editable and f.name != "id"}
    ids: dict[str, set[Any]] = {"unit": set(), "project": set()}
    for e in events:
        for name, old, new in e.changed_fields:
            if name in ids:
                ids[name] |= {v for v in (old, new) if v is not None}
    names = {
        "unit": dict(Unit.objects.filter(pk__in=ids["unit"]).values_list("pk", "name")),
        # A project once matched may lie outside the reader's scope: then only its number shows.
        "project": dict(
            Project.objects.visible_to(principal).filter(pk__in=ids["project"]).values_list("pk", "name")
        ),
    }

    def shown(name: str, value: Any) -> Any:
        if value in (None, ""):
            return "—"
        if name in names:
            return names[name].get(value, f"编号 {value}")
        return dict(fields[name].choices or {}).get(value, value)

    return [
        (
            e,
            [
                (str(fields[name].verbose_name), shown(name, old), shown(name, new))
                for name, old, new in e.changed_fields
                if name in fields
            ],
        )
        for e in events
    ]
