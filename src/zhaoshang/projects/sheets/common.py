"""What the project and follow-up sheets share: chunked reads, plain cell text, units, leaders, scope."""

from __future__ import annotations

from django.db.models import QuerySet

from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import cell_text
from zhaoshang.enterprises.sheets import _unit_labels
from zhaoshang.org import selectors as org_selectors
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project

CHUNK = 900  # SQLite allows 999 parameters in one statement


def plain(text: str) -> str:
    """A stored text as a cell reading gives it back, so a round trip changes nothing."""
    return cell_text(text)


# ---------------------------------------------------------------- choices


def units_of(kind: str | None, allowed: QuerySet[Unit] | None) -> list[tuple[str, str]]:
    """Labels made over every unit of the kind, so a name reads the same for every user; then narrowed."""
    units = Unit.objects.order_by("path")
    if kind:
        units = units.filter(kind__code=kind)
    labels = _unit_labels(units)
    if allowed is None:
        return labels
    keep = {str(pk) for pk in allowed.values_list("pk", flat=True)}
    return [(pk, label) for pk, label in labels if pk in keep]


def leaders(scope: Principal) -> list[tuple[str, str]]:
    """The leaders of the scope's jurisdiction (`org.selectors`), never every county's."""
    people = list(org_selectors.jurisdiction_leaders(scope))
    names = [str(u) for u in people]
    return [(str(u.pk), str(u) if names.count(str(u)) == 1 else f"{u}（{u.username}）") for u in people]


def writable_projects(by: Principal) -> QuerySet[Project]:
    return Project.objects.visible_to(by.acting_for(Action.EDIT_BUSINESS))
