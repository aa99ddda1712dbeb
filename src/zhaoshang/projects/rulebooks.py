"""The rulebooks coordinators keep as data: which applies to a unit, what each kind must look like,
and the audited save.

A unit reads its own rulebook of a kind, else the nearest one above it (a park its county's), else
the default shipped in `rules/<kind>.json`. Each kind may register a parser that turns the content
into the engine's rules and raises `RulesError` listing every problem; a kind without one is
accepted as any JSON object.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from zhaoshang.core.permissions import require, require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal, ancestors
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.org.models import Unit
from zhaoshang.projects.engines import alerts, cohorts, deadlines, prereview
from zhaoshang.projects.engines.errors import RulesError
from zhaoshang.projects.models import RULEBOOK_KINDS, Project, Rulebook

SHIPPED = Path(__file__).parent / "rules"
KIND_LABELS = dict(RULEBOOK_KINDS)
PARSERS: dict[str, Callable[[Any], Any]] = {}


def register(kind: str, parse: Callable[[Any], Any]) -> None:
    """Say how content of `kind` is read; `parse` raises `RulesError` (with `.problems`) when unusable."""
    PARSERS[kind] = parse


register("tracking", deadlines.parse)
register("cohorts", cohorts.parse)
register("review", prereview.parse)


@cache
def _shipped_text(kind: str) -> str:
    path = SHIPPED / f"{kind}.json"
    return path.read_text("utf-8") if path.exists() else "{}"


def shipped(kind: str) -> dict[str, Any]:
    """The default that ships with the product (a fresh copy: callers may change it)."""
    return json.loads(_shipped_text(kind))


def problems(kind: str, content: Any) -> list[str]:
    """Every reason `content` may not be saved as a rulebook of `kind`; empty when it may."""
    if kind not in KIND_LABELS:
        return [f"规则类别：只能是 {'、'.join(KIND_LABELS.values())} 之一"]
    if not isinstance(content, dict):
        return [f"{KIND_LABELS[kind]}：应为一个对象（{{…}}）"]
    parse = PARSERS.get(kind)
    if parse is None:
        return []
    try:
        parse(content)
    except RulesError as exc:
        return list(exc.problems)
    return []


def parsed(kind: str, content: Any) -> Any:
    """The engine's rules of `kind`; the content itself for a kind without a parser."""
    parse = PARSERS.get(kind)
    return parse(content) if parse else content


@dataclass(frozen=True)
class Resolved:
    """The content that applies, and where it comes from (None: the shipped default)."""

    kind: str
    content: dict[str, Any]
    source: Unit | None

    @property
    def source_label(self) -> str:
        return self.source.name if self.source is not None else "系统默认"

    def rules(self) -> Any:
        # Content stored before a parser was tightened must not break every page: fall back.
        try:
            return parsed(self.kind, self.content)
        except RulesError:
            return parsed(self.kind, shipped(self.kind))


def _nearest(books: Iterable[Rulebook], path: str) -> Rulebook | None:
    found = [b for b in books if path.startswith(b.unit.path)]
    return max(found, key=lambda b: len(b.unit.path), default=None)


def resolve(unit: Unit, kind: str) -> Resolved:
    """The unit's own rulebook of `kind`, else the nearest above it, else the shipped default."""
    books = Rulebook.objects.filter(kind=kind, unit__path__in=ancestors((unit.path,))).select_related("unit")
    book = _nearest(books, unit.path)
    if book is None:
        return Resolved(kind, shipped(kind), None)
    return Resolved(kind, book.content, book.unit)


def project_unit(project: Project) -> Unit:
    """The unit whose rules a project follows: its park when it has one, else its town."""
    return project.park if project.park_id else project.town


def to_alert_rules(rules: deadlines.TrackingRules) -> alerts.Rules:
    return alerts.Rules(stale_days=rules.stale_days, stage_limits=dict(rules.stage_limits))


def tracking_rules(unit: Unit) -> alerts.Rules:
    """Follow-up interval and stage limits for projects of `unit`, from its rulebook."""
    return to_alert_rules(resolve(unit, "tracking").rules())


class RuleIndex:
    """The rulebooks of one kind a principal may read, loaded once for a whole list of projects."""

    def __init__(self, kind: str, books: Iterable[Rulebook]) -> None:
        self.kind = kind
        self.books = list(books)
        self._parsed: dict[int | None, Any] = {}

    @classmethod
    def visible(cls, principal: Principal, kind: str) -> RuleIndex:
        return cls(kind, Rulebook.objects.visible_to(principal).filter(kind=kind).select_related("unit"))

    def resolved(self, unit: Unit) -> Resolved:
        book = _nearest(self.books, unit.path)
        if book is None:
            return Resolved(self.kind, shipped(self.kind), None)
        return Resolved(self.kind, book.content, book.unit)

    def rules_for(self, unit: Unit) -> Any:
        book = _nearest(self.books, unit.path)
        key = book.pk if book is not None else None
        if key not in self._parsed:  # parse each rulebook once, however many projects follow it
            self._parsed[key] = self.resolved(unit).rules()
        return self._parsed[key]

    def for_project(self, project: Project) -> Any:
        return self.rules_for(project_unit(project))

    def alert_rules(self, project: Project) -> alerts.Rules:
        return to_alert_rules(self.for_project(project))

    def alert_rule_sets(self) -> list[tuple[str | None, alerts.Rules]]:
        """(unit path, its alert rules) for each rulebook here, deepest unit first, then (None, the
        shipped rules every other project follows): what one SQL condition needs to flag exactly."""
        books = sorted(self.books, key=lambda b: -len(b.unit.path))
        sets: list[tuple[str | None, alerts.Rules]] = [
            (b.unit.path, to_alert_rules(Resolved(self.kind, b.content, b.unit).rules())) for b in books
        ]
        sets.append((None, to_alert_rules(Resolved(self.kind, shipped(self.kind), None).rules())))
        return sets


def tracking_index(principal: Principal) -> RuleIndex:
    return RuleIndex.visible(principal, "tracking")


def rulebook_save(by: Principal, unit: Unit, kind: str, content: Any) -> Rulebook:
    """A coordinator sets the unit's own rulebook of `kind`; refused with every problem listed."""
    require(by, Action.CONFIGURE_RULES)
    require_in_scope(by, unit, Action.CONFIGURE_RULES)
    if found := problems(kind, content):
        raise ValidationError({"content": found})
    with transaction.atomic():
        book = Rulebook.objects.select_for_update().filter(unit=unit, kind=kind).first()
        if book is None:
            return audited_create(Rulebook(unit=unit, kind=kind, content=content))
        audited_update(book, {"content": content}, reason=f"修改{KIND_LABELS[kind]}")
        return book


def rule_units(principal: Principal) -> list[Unit]:
    """Units whose rulebooks the principal reads: the jurisdictions they belong to, and parks in scope."""
    parks = Q(kind__code="park")
    if principal.sees_everything:
        found = Unit.objects.filter(Q(kind__is_jurisdiction=True) | parks)
    else:
        # A town's staff read their county's rules (as Rulebook's covering scope lets them); an
        # enterprise user holds no grant on the organisation and reads none.
        granted = sorted({path for _role, path in principal.grants})
        theirs = Unit.objects.filter(path__in=granted).values("jurisdiction_path")
        in_scope = Unit.objects.visible_to(principal).filter(parks).values("pk")
        found = Unit.objects.filter(Q(path__in=theirs) | Q(pk__in=in_scope))
    return list(found.select_related("kind").order_by("path"))


def editable_unit_ids(principal: Principal, units: Iterable[Unit]) -> set[int]:
    if not principal.can(Action.CONFIGURE_RULES):
        return set()
    acting = principal.acting_for(Action.CONFIGURE_RULES)
    ids = [u.pk for u in units]
    return set(Unit.objects.visible_to(acting).filter(pk__in=ids).values_list("pk", flat=True))


LAYER_LABELS = {"province": "省级规则", "city": "市级规则", "county": "本县规则", "park": "园区规则"}


def layer_label(unit: Unit | None) -> str:
    if unit is None:
        return "系统默认"
    return LAYER_LABELS.get(unit.kind.code, f"{unit.name}规则")


@dataclass(frozen=True)
class Layered:
    """Cohort rules of every rulebook above and at a unit, combined; the problems of any unreadable one."""

    rules: list[cohorts.CohortRule]
    sources: list[str]  # whose rulebooks, highest first
    problems: list[str]


def cohort_rules(unit: Unit, draft: dict[str, Any] | None = None) -> Layered:
    """A county's cohort rules add to its city's (and a park's to its county's): `cohorts.combine`.
    With no rulebook anywhere above, the shipped default applies. A `draft` stands in for the unit's
    own rulebook, unsaved (what the form previews)."""
    books = list(
        Rulebook.objects.filter(kind="cohorts", unit__path__in=ancestors((unit.path,))).select_related(
            "unit__kind"
        )
    )
    if draft is not None:
        books = [b for b in books if b.unit_id != unit.pk] + [
            Rulebook(unit=unit, kind="cohorts", content=draft)
        ]
    books.sort(key=lambda b: len(b.unit.path))
    layers: list[tuple[str, list[cohorts.CohortRule]]] = []
    found: list[str] = []
    for book in books:
        try:
            layers.append((layer_label(book.unit), cohorts.parse(book.content)))
        except RulesError as exc:
            found += [f"{layer_label(book.unit)}（{book.unit.name}）：{p}" for p in exc.problems]
    if not layers:
        layers = [(layer_label(None), cohorts.parse(shipped("cohorts")))]
    return Layered(cohorts.combine(layers), [label for label, _ in layers], found)


def resolve_all(unit: Unit) -> dict[str, Resolved]:
    """Every kind's rulebook for the unit, in one query."""
    books = list(Rulebook.objects.filter(unit__path__in=ancestors((unit.path,))).select_related("unit"))
    return {
        kind: RuleIndex(kind, [b for b in books if b.kind == kind]).resolved(unit) for kind in KIND_LABELS
    }
