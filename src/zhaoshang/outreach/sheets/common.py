"""What the four outreach sheets share: one plan and one apply for every kind, and naming a unit, a
person, a leader or a contact in a cell.

Each importer says what its rows are (`Sheet`), how a row is found (`key_of`: a contact by its county,
category and name; a trip by its unit, start and destination; a visit by its unit, day and company; an
event by its county, name and day) and what a row's cells mean (`fields`). The plan then matches each
row with a record the importer sees, reports what is new, changed or unchanged, and refuses a row that
names a unit, a person or a contact outside the principal's county, or changes a record of a unit the
principal does not write for. The writes are made directly, one audit event per row naming the row
(as the chains sheets do), and the version of a changed record is bumped. Every lookup is made once
for the whole file, so a plan makes a fixed number of queries whatever its number of rows.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

from django.db import models
from django.db.models import F
from django.utils import timezone

from zhaoshang.chains.sheets.common import (
    CHUNK,
    Leaders,
    as_json,
    changed,
    event,
    loose,
    plain,
    target_of,
    unit_problem,
    units_named,
    writable_unit_ids,
)
from zhaoshang.core import audit
from zhaoshang.core.imports import Plan, Progress, RowChange
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import CellError, ParsedRows, Sheet
from zhaoshang.org.models import Membership, Unit, User
from zhaoshang.org.selectors import WORKING_ROLES
from zhaoshang.outreach.models import Contact
from zhaoshang.outreach.services import may_write_for
from zhaoshang.projects.sheets.common import units_of

__all__ = ["CHUNK", "Leaders", "as_json", "plain", "units_of"]

NOT_WRITER = "您无权修改该记录：只有登记单位（或其上级）的工作人员和县统筹协调人员可以修改"
SEPARATORS = re.compile(r"[、,，;；\n]+")


def names_in(text: str | None) -> list[str]:
    """The names a cell lists, separated by 、 , ； or new lines."""
    return [part.strip() for part in SEPARATORS.split(text or "") if part.strip()]


class People:
    """The people who hold a working role (staff, coordinators, leaders) in a county's units: a trip's
    members and a visit's hosts are named by the name shown, the user name, or "名称（用户名）"."""

    def __init__(self, already: Iterable[int | None] = ()) -> None:
        rows = Membership.objects.filter(
            role__in=WORKING_ROLES, unit__is_active=True, user__is_active=True
        ).values_list("user_id", "unit__jurisdiction_path")
        self.paths: dict[int, set[str]] = defaultdict(set)
        for user_id, path in rows:
            self.paths[user_id].add(path)
        ids = sorted(set(self.paths) | {i for i in already if i})
        self.users = {u.pk: u for u in User.objects.filter(pk__in=ids)}
        count: dict[str, int] = defaultdict(int)
        for u in self.users.values():
            count[plain(str(u))] += 1
        self._twins = {name for name, n in count.items() if n > 1}

    def label(self, user_id: int) -> str:
        user = self.users[user_id]
        name = plain(str(user))
        return f"{name}（{user.username}）" if name in self._twins else name

    def find(self, text: str, county: Unit, current: Iterable[int]) -> tuple[User | None, str]:
        key = loose(text)
        wanted: list[User] = []
        if key.endswith(")") and "(" in key:
            wanted = [u for u in self.users.values() if u.username == key[key.rindex("(") + 1 : -1]]
        wanted = wanted or [u for u in self.users.values() if u.username == key]
        wanted = wanted or [u for u in self.users.values() if loose(str(u)) == key]
        now = set(current)
        eligible = [u for u in wanted if u.pk in now or county.path in self.paths.get(u.pk, ())]
        if len(eligible) == 1:
            return eligible[0], ""
        if len(eligible) > 1:
            return None, f"有多位名为“{text}”的人员，请写成“名称（用户名）”"
        return None, f"“{text}”不是{county.name}各单位的工作人员（可填名称或用户名）"


class Contacts:
    """The contacts of the given counties, by name: a trip's contacts and a visit's referring contact."""

    def __init__(self, county_ids: Iterable[int]) -> None:
        self.named: dict[tuple[int, str], list[Contact]] = defaultdict(list)
        self.by_id: dict[int, Contact] = {}
        for c in Contact.objects.filter(county_id__in=sorted(set(county_ids))).order_by("pk"):
            self.named[(c.county_id, plain(c.name))].append(c)
            self.by_id[c.pk] = c

    def find(self, text: str, county: Unit) -> tuple[Contact | None, str]:
        found = self.named.get((county.pk, text), [])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, f"{county.name}有多个名为“{text}”的联络对象，请在系统中处理"
        return None, f"{county.name}没有名为“{text}”的联络对象，请先登记或导入联络对象"


Problems = list[tuple[str, str]]  # (column header, reason)


class Context:
    """What a plan looks up once: the units the file names, their counties, those one writes for, and
    what the importer looks up for its own columns (`extra`)."""

    def __init__(self, by: Principal, parsed: ParsedRows, unit_keys: Iterable[str]) -> None:
        ids: list[Any] = []
        for _row, values in parsed.rows:
            for key in unit_keys:
                value = values.get(key)
                ids += value if isinstance(value, list) else [value]
        self.by = by
        self.units = units_named(ids)
        paths = {u.jurisdiction_path for u in self.units.values()}
        self.counties = {u.path: u for u in Unit.objects.filter(path__in=paths)}
        self.writable = writable_unit_ids(by)
        self.today = timezone.localdate()
        self.extra: dict[str, Any] = {}

    def county(self, unit: Unit) -> Unit:
        return self.counties[unit.jurisdiction_path]


class OutreachImporter:
    """The plan and apply every outreach sheet shares; see the module's docstring."""

    kind: str
    label: str
    sheet: ClassVar[Sheet]
    model: ClassVar[type[models.Model]]
    unit_key: ClassVar[str]  # the column naming the unit the record belongs to
    unit_keys: ClassVar[tuple[str, ...]]  # every column naming units (choices of the units)
    unit_attr: ClassVar[str] = "unit"  # the record's unit: those who write for it change the record
    foreign_keys: ClassVar[tuple[str, ...]] = ()
    many: ClassVar[tuple[str, ...]] = ()
    key_header: ClassVar[str]  # the column a refusal of the row as a whole is shown under
    defaults: ClassVar[dict[str, Any]] = {}

    # ---- what each importer says
    def prepare(self, ctx: Context, parsed: ParsedRows) -> None:
        """Look up what the rows name (people, contacts, projects), once, on `ctx.extra`."""

    def existing(self, ctx: Context) -> Iterable[tuple[tuple[Any, ...], Any]]:
        """(key, record) of each record the principal sees that a row may match."""
        raise NotImplementedError

    def key_of(self, values: dict[str, Any], county: Unit, unit: Unit) -> tuple[Any, ...]:
        raise NotImplementedError

    def fields(
        self, ctx: Context, county: Unit, values: dict[str, Any], current: Any, problems: Problems
    ) -> dict[str, Any]:
        """The row's values as the record holds them (ids for references); None leaves one alone."""
        raise NotImplementedError

    def check(self, ctx: Context, merged: dict[str, Any], current: Any, problems: Problems) -> None:
        """The rules on the record as it would be (the row's values over the stored ones)."""

    def labels(self, key: str, ids: set[int]) -> dict[int, str]:
        """How the audit event names the members of a many-valued field."""
        return {}

    def export_records(self, by: Principal, filters: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    # ---- shared
    def sheet_for(self, by: Principal, writable: bool = True) -> Sheet:
        """Every unit named as people know it, so an export imports again; a new or changed unit must be
        one this person may name, in the record's county (checked in `plan`)."""
        units = units_of(None, None)
        columns = tuple(
            dataclasses.replace(c, choices=units) if c.key in self.unit_keys else c
            for c in self.sheet.columns
        )
        return dataclasses.replace(self.sheet, columns=columns)

    def old(self, current: Any, key: str) -> Any:
        if key in self.many:
            return sorted(x.pk for x in getattr(current, key).all())  # prefetched by `existing`
        return getattr(current, f"{key}_id") if key in self.foreign_keys else getattr(current, key)

    def plan(self, parsed: ParsedRows, by: Principal, progress: Progress | None) -> Plan:
        require(by, Action.EDIT_BUSINESS)
        plan = Plan(self.kind, parsed)
        ctx = Context(by, parsed, self.unit_keys)
        self.prepare(ctx, parsed)
        found: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
        for key, record in self.existing(ctx):
            found[key].append(record)
        seen: dict[tuple[Any, ...], int] = {}
        for done, (row, values) in enumerate(parsed.rows, start=1):
            if progress and done % 500 == 0:
                progress(done, len(parsed.rows), "正在核对")
            unit = ctx.units[values[self.unit_key]]
            county = ctx.county(unit)
            key = self.key_of(values, county, unit)
            if key in seen:
                plan.errors.append(CellError(row, self.key_header, f"与第 {seen[key]} 行是同一条记录"))
                continue
            seen[key] = row
            matches = found.get(key, [])
            if len(matches) > 1:
                plan.errors.append(CellError(row, self.key_header, "系统中有多条相同的记录，请在系统中处理"))
                continue
            current = matches[0] if matches else None
            problems: Problems = []
            fields = self.fields(ctx, county, values, current, problems)
            diff: dict[str, tuple[Any, Any]] = {}
            if current is None:
                merged = dict(self.defaults) | {k: v for k, v in fields.items() if v is not None and v != []}
                named = [k for k in self.unit_keys if fields.get(k)]
            else:
                for name, new in fields.items():
                    old = self.old(current, name)
                    if name in parsed.present and changed(old, new):
                        diff[name] = (old, new)
                merged = {k: self.old(current, k) for k in fields} | {k: new for k, (_o, new) in diff.items()}
                named = [k for k in self.unit_keys if k in diff]
                if diff and not may_write_for(by, getattr(current, self.unit_attr)):
                    problems.append((self.key_header, NOT_WRITER))
            for name in named:  # a unit newly named must be one this person names, in the county
                value, before = fields[name], diff.get(name, (None, None))[0]
                added = sorted(set(value) - set(before or [])) if isinstance(value, list) else [value]
                for pk in added:
                    if why := unit_problem(by, ctx.units[str(pk)], county, ctx.writable):
                        problems.append((self.sheet.column(name).header, why))
                        break
            self.check(ctx, merged, current, problems)
            if problems:
                first: dict[str, str] = {}
                for header, message in problems:
                    first.setdefault(header, message)
                plan.errors += [CellError(row, header, message) for header, message in first.items()]
                continue
            if current is None:
                plan.changes.append(RowChange(row, key, "new", merged | {"county": county.pk}))
            else:
                action = "changed" if diff else "unchanged"
                plan.changes.append(RowChange(row, key, action, fields, diff, current.pk))
        return plan

    def _column(self, key: str) -> str:
        return f"{key}_id" if key in self.foreign_keys or key == "county" else key

    def apply(self, plan: Plan, by: Principal, progress: Progress | None) -> None:
        events: list[dict[str, Any]] = []
        manager = self.model._default_manager
        current = manager.in_bulk([c.target_id for c in plan.changes if c.action == "changed"])
        named: dict[str, set[int]] = defaultdict(set)
        for change in plan.changes:
            for key in self.many:
                named[key] |= set(change.values.get(key) or [])
                for old_new in change.changes.get(key, ()):
                    named[key] |= set(old_new)
        labels = {key: self.labels(key, ids) for key, ids in named.items()}

        def names(key: str, ids: Iterable[int]) -> list[str]:
            return sorted(labels[key].get(i, str(i)) for i in ids)

        for done, change in enumerate(plan.changes, start=1):
            if progress and done % 200 == 0:
                progress(done, len(plan.changes), "正在写入")
            v = change.values
            if change.action == "new":
                record = self.model(**{self._column(k): x for k, x in v.items() if k not in self.many})
                record.save(force_insert=True)
                after = audit.snapshot(record)
                for key in self.many:
                    getattr(record, key).set(v.get(key) or [])
                    after[key] = names(key, v.get(key) or [])
                events.append(event(change, AuditEvent.Action.CREATE, target_of(record), after=after))
            elif change.action == "changed":
                record = current[change.target_id]
                before: dict[str, Any] = {}
                after = {}
                columns = []
                for key, (old, new) in change.changes.items():
                    if key in self.many:
                        getattr(record, key).set(new)
                        before[key], after[key] = names(key, old), names(key, new)
                        continue
                    setattr(record, self._column(key), new)
                    columns.append(key)
                    before[key], after[key] = as_json(old), as_json(new)
                if columns:
                    record.save(update_fields=columns)
                manager.filter(pk=record.pk).update(version=F("version") + 1)
                events.append(
                    event(change, AuditEvent.Action.UPDATE, target_of(record), after=after, before=before)
                )
        audit.record_many(events)


def find_people(
    ctx: Context, county: Unit, text: str | None, current: list[int], problems: Problems, header: str
) -> list[int]:
    """The people a cell names, as ids (sorted); the first one not found is a problem of the row."""
    found = []
    for name in names_in(text):
        user, why = ctx.extra["people"].find(name, county, current)
        if user is None:
            problems.append((header, why))
            return []
        found.append(user.pk)
    return sorted(set(found))


def find_leader(
    ctx: Context, county: Unit, text: str | None, current: int | None, problems: Problems, header: str
) -> int | None:
    if not text:
        return None
    leader, why = ctx.extra["leaders"].find(text, county, current)
    if leader is None:
        problems.append((header, why))
        return None
    return leader.pk


def chosen(values: Mapping[str, Any], key: str) -> int | None:
    """A choice cell naming a record by its id (as text), as an id."""
    value = values.get(key)
    return int(value) if value else None
