"""The one scoping mechanism: every list query goes through `ScopedQuerySet.visible_to`.

A `Principal` says what a user may see: the subtrees of the organisation they belong to
(as materialised-path prefixes), their own enterprises, or everything (inspectors, admins).
A model opts in by declaring `scope = ScopeRule(...)` and using `ScopedQuerySet`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import reduce
from operator import or_

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

from zhaoshang.core.roles import GLOBAL_ROLES, Action, Role, allowed


def minimal_prefixes(paths: object) -> tuple[str, ...]:
    """Drop paths already covered by a shorter prefix, so the filter stays small."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):  # type: ignore[call-overload]
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(sorted(kept))


def ancestors(paths: tuple[str, ...]) -> list[str]:
    """Every path on the way down to each given path, itself included ("1/", "1/5/", "1/5/12/")."""
    out: set[str] = set()
    for path in paths:
        steps = [s for s in path.split("/") if s]
        out.update("".join(f"{s}/" for s in steps[: n + 1]) for n in range(len(steps)))
    return sorted(out)


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    roles: frozenset[Role] = frozenset()
    # Materialised-path prefixes of the subtrees this principal sees.
    unit_paths: tuple[str, ...] = ()
    # The units the user is a member of (their own, not the subtree).
    unit_ids: frozenset[int] = frozenset()
    enterprise_ids: frozenset[int] = frozenset()
    sees_everything: bool = False
    # Each role with the subtree it was granted on: a user may be staff in one town and leader of a county.
    grants: tuple[tuple[Role, str], ...] = ()
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    # What the scope looked up once for this principal (the unit ids under its subtrees), per request.
    cache: dict[tuple[str, ...], list[int] | str] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def can(self, action: Action) -> bool:
        return allowed(self.roles, action)

    def acting_for(self, action: Action) -> Principal:
        """This principal narrowed to the roles that allow the action, with only their subtrees.

        Reads use the principal as it is; a write is checked against `acting_for(write action)`, so an
        inspector who is also staff in town A may change town A only, never what inspection lets them read.
        """
        if self.extra.get("system"):
            return self  # scripts and the demo generator act for the whole system
        roles = frozenset(r for r in self.roles if allowed(frozenset({r}), action))
        return replace(
            self,
            roles=roles,
            unit_paths=minimal_prefixes(path for role, path in self.grants if role in roles),
            enterprise_ids=self.enterprise_ids if Role.ENTERPRISE in roles else frozenset(),
            sees_everything=bool(roles & GLOBAL_ROLES),
            extra={**self.extra, "acting_for": action},
        )

    @property
    def read_only(self) -> bool:
        """Inspectors read everything and change nothing."""
        return self.roles == frozenset({Role.INSPECTOR})


ANONYMOUS = Principal(user_id=None)


@dataclass(frozen=True)
class ScopeRule:
    """How a model's rows hang off the organisation tree.

    unit_path: lookup of the owning unit's path, e.g. "path" for Unit itself or "unit__path"; a tuple
        when a row hangs off several units (an enterprise is seen by its town and by its park).
    enterprise: lookup of the owning enterprise id, for rows an enterprise user may see.
    many: the lookups cross a to-many relation; filtered through a sub-query to avoid duplicates.
    covering: lookup of a unit path for records that concern everyone below that unit (a county's
        evaluation): also visible when that unit contains one of the principal's units.
    """

    unit_path: str | tuple[str, ...] | None = None
    enterprise: str | None = None
    many: bool = False
    covering: str | None = None

    @property
    def unit_paths(self) -> tuple[str, ...]:
        if self.unit_path is None:
            return ()
        return (self.unit_path,) if isinstance(self.unit_path, str) else self.unit_path


def _related(model: type[models.Model], lookup: str) -> type[models.Model]:
    """The model a `a__b` lookup ends on, followed from `model` through its relations."""
    for name in lookup.split("__"):
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model


# Up to this many units, a scope's units are looked up once and given to the database as a list: the
# planner then knows how few rows match (with a sub-query inside an OR it guesses three quarters).
UNIT_LIST_LIMIT = 500
# The cached answers beside a list of ids: too many units to list, or the whole unit tree.
SUB_QUERY, EVERY_UNIT = "sub-query", "every unit"


def _under(model: type[models.Model], lookup: str, principal: Principal) -> Q:
    """Rows whose unit (reached by `lookup`, ending in `path`) lies under one of the principal's subtrees.

    `town__path` becomes `town_id IN (units under the prefixes)`: the short list of units is found
    in the unit table once per principal, and the row table is filtered on its indexed foreign key,
    instead of joining every row to its unit to compare paths."""
    prefixes = principal.unit_paths
    under = reduce(or_, (Q(path__startswith=prefix) for prefix in prefixes))
    head, _, last = lookup.rpartition("__")
    if not head or last != "path":
        return (
            under
            if lookup == "path"
            else reduce(or_, (Q(**{f"{lookup}__startswith": prefix}) for prefix in prefixes))
        )
    units = _related(model, head)._default_manager.filter(under).values("pk")
    key = (units.model._meta.label, *prefixes)
    if key not in principal.cache:
        found = list(units.values_list("pk", flat=True).order_by("pk")[: UNIT_LIST_LIMIT + 1])
        if len(found) <= UNIT_LIST_LIMIT:
            principal.cache[key] = found
        else:  # a province's scope: when no unit lies outside it, any row with a unit is in it
            principal.cache[key] = (
                SUB_QUERY if units.model._default_manager.exclude(under).exists() else EVERY_UNIT
            )
    ids = principal.cache[key]
    if ids == EVERY_UNIT:
        return Q(**{f"{head}__isnull": False})
    return Q(**{f"{head}__in": units if ids == SUB_QUERY else ids})


def _condition(rule: ScopeRule, principal: Principal, model: type[models.Model]) -> Q:
    parts: list[Q] = []
    if principal.unit_paths:
        parts += [_under(model, lookup, principal) for lookup in rule.unit_paths]
    # Reaching up to a covering unit is for reading; a write needs the unit itself in one's subtree.
    if rule.covering and principal.unit_paths and "acting_for" not in principal.extra:
        parts.append(Q(**{f"{rule.covering}__in": ancestors(principal.unit_paths)}))
    if rule.enterprise and principal.enterprise_ids:
        parts.append(Q(**{f"{rule.enterprise}__in": sorted(principal.enterprise_ids)}))
    if not parts:
        return Q(pk__in=[])
    return reduce(or_, parts)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, principal: Principal) -> ScopedQuerySet:
        if principal.sees_everything:
            return self
        rule: ScopeRule = self.model.scope  # type: ignore[attr-defined]  # every scoped model declares one
        condition = _condition(rule, principal, self.model)
        if rule.many:
            inner = self.model._default_manager.filter(condition).values("pk")
            return self.filter(pk__in=inner)
        return self.filter(condition)

    def get_visible_or_404(self, principal: Principal, **lookup: object) -> models.Model:
        """A record outside the principal's scope is answered as if it did not exist."""
        try:
            return self.visible_to(principal).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
