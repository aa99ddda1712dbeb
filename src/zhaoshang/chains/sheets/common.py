"""What the four chain sheets share: naming a chain, a node or a leader in a cell, units, scope, events.

A chain is written by its name, or "县名/产业链名" where two counties use the same name; a node by its
name, or "链段/环节名" where a chain has two nodes of that name; a leader by the name shown, the user
name, or "名称（用户名）". Each is looked up once for the whole file, so a plan makes a fixed number of
queries whatever its number of rows.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from zhaoshang.chains import services
from zhaoshang.chains.models import SEGMENTS, Chain, ChainNode
from zhaoshang.core.imports import RowChange
from zhaoshang.core.roles import Role
from zhaoshang.core.scoping import Principal
from zhaoshang.core.sheets import cell_text
from zhaoshang.org import references
from zhaoshang.org.models import Leader, Membership, Unit, User

CHUNK = 900  # SQLite allows 999 parameters in one statement
SEGMENT_LABELS = dict(SEGMENTS)
NOT_WRITER = "您无权修改该产业链：只有县统筹协调人员和该产业链的牵头单位可以导入"


def plain(text: str | None) -> str:
    """A stored text as a cell reading gives it back, so a round trip changes nothing."""
    return cell_text(text or "")


def loose(text: str) -> str:
    """Text compared whatever the keyboard: full-width forms made plain, spaces dropped."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def changed(old: Any, new: Any) -> bool:
    """A cell differs from what is stored (an empty cell never does: it leaves the value alone)."""
    if new is None or new == []:
        return False
    return (plain(old) if isinstance(old, str) else old) != new


def as_json(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def event(
    change: RowChange,
    action: str,
    target: tuple[str, Any, str],
    *,
    after: Any = None,
    before: Any = None,
    note: str = "",
) -> dict[str, Any]:
    """One audit event for one imported row, naming the row it came from; `target` is (type, id, name)."""
    target_type, target_id, target_repr = target
    spec = {
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_repr": target_repr,
        "after": after,
        "reason": f"导入第 {change.row} 行" + (f"：{note}" if note else ""),
    }
    if before is not None:
        spec["before"] = before
    return spec


def target_of(instance: Any) -> tuple[str, Any, str]:
    return instance._meta.label_lower, instance.pk, str(instance)


# ---------------------------------------------------------------- chains


class Chains:
    """Every chain by name, with what the principal may see and write."""

    def __init__(self, by: Principal) -> None:
        self.by = by
        self.all = list(
            Chain.objects.select_related("county", "lead_unit", "cluster", "chief").order_by("pk")
        )
        self.visible = set(Chain.objects.visible_to(by).values_list("pk", flat=True))
        self.by_name: dict[str, list[Chain]] = defaultdict(list)
        for c in self.all:
            self.by_name[plain(c.name)].append(c)
        self._writable: dict[int, bool] = {}

    def label(self, chain: Chain) -> str:
        name = plain(chain.name)
        return name if len(self.by_name[name]) == 1 else f"{plain(chain.county.name)}/{name}"

    def candidates(self, text: str) -> list[Chain]:
        found = self.by_name.get(text, [])
        if not found and "/" in text:
            county, _, name = text.partition("/")
            found = [c for c in self.by_name.get(name, []) if plain(c.county.name) == county]
        return found

    def find(self, text: str) -> tuple[Chain | None, str]:
        """The chain a cell names and may be written by the principal, or why not."""
        found = self.candidates(text)
        seen = [c for c in found if c.pk in self.visible]
        if len(seen) > 1:
            counties = "、".join(c.county.name for c in seen)
            return None, f"有多个名为“{text}”的产业链（{counties}），请写成“县名/产业链名”"
        if not seen:
            if found:
                return None, f"产业链“{text}”属于其他县，不在您的职责范围内，不能导入"
            return None, f"没有名为“{text}”的产业链，请先导入或设立产业链"
        chain = seen[0]
        if not self.writable(chain):
            return None, NOT_WRITER
        return chain, ""

    def writable(self, chain: Chain) -> bool:
        if chain.pk not in self._writable:
            self._writable[chain.pk] = services.may_write(self.by, chain)
        return self._writable[chain.pk]


# ---------------------------------------------------------------- nodes


def node_label(node: ChainNode, siblings: Iterable[ChainNode]) -> str:
    """The node's name, or "链段/环节名" where its chain has another node of that name."""
    name = plain(node.name)
    twins = [n for n in siblings if plain(n.name) == name]
    return name if len(twins) <= 1 else f"{SEGMENT_LABELS[node.segment]}/{name}"


class Nodes:
    """The nodes of the given chains, by chain and name."""

    def __init__(self, chain_ids: Iterable[int]) -> None:
        self.of: dict[int, list[ChainNode]] = defaultdict(list)
        self._named: dict[tuple[int, str], list[ChainNode]] = defaultdict(list)
        for n in ChainNode.objects.filter(chain_id__in=sorted(set(chain_ids))).order_by("pk"):
            self.of[n.chain_id].append(n)
            self._named[(n.chain_id, plain(n.name))].append(n)

    def named(self, chain_id: int, name: str, segment: str | None = None) -> list[ChainNode]:
        found = self._named.get((chain_id, name), [])
        if len(found) > 1 and segment:
            found = [n for n in found if n.segment == segment]
        return found

    def find(self, chain: Chain, text: str) -> tuple[ChainNode | None, str]:
        segment = None
        found = self.named(chain.pk, text)
        if not found and "/" in text:
            prefix, _, name = text.partition("/")
            segment = next((k for k, v in SEGMENT_LABELS.items() if v == prefix), None)
            found = self.named(chain.pk, name, segment) if segment else []
        if len(found) > 1:
            return None, f"产业链“{chain.name}”有多个名为“{text}”的环节，请写成“链段/环节名”，如“中游/{text}”"
        if not found:
            return None, f"产业链“{chain.name}”没有名为“{text}”的环节，请先导入环节"
        return found[0], ""


# ---------------------------------------------------------------- units


def county_of(unit: Unit) -> Unit:
    """The jurisdiction (县) a unit belongs to: itself, or the nearest one above it."""
    if unit.path == unit.jurisdiction_path:
        return unit
    return Unit.objects.get(path=unit.jurisdiction_path)


def units_named(ids: Iterable[Any]) -> dict[str, Unit]:
    """The units the cells name (choices give their ids as text), by that text."""
    wanted = sorted({int(i) for i in ids if i})
    return {str(u.pk): u for u in Unit.objects.filter(pk__in=wanted)}


def unit_problem(by: Principal, unit: Unit, county: Unit, writable: set[int]) -> str:
    """Why a unit newly named on a chain's record may not be named, or ""."""
    if not unit.path.startswith(county.path):
        return f"“{unit.name}”不是{county.name}的单位"
    if unit.pk not in writable:
        return references.OUT_OF_SCOPE
    return ""


def writable_unit_ids(by: Principal) -> set[int]:
    return set(references.writable_units(by).values_list("pk", flat=True))


# ---------------------------------------------------------------- leaders


class Leaders:
    """The county leaders (县级领导) who may be a chain's chief or a target's contact, and the people
    already named as such, so that what an export wrote reads back."""

    def __init__(self, already: Iterable[int | None] = ()) -> None:
        led = Leader.objects.filter(is_active=True).values_list("user_id", "unit__path")
        held = Membership.objects.filter(role=Role.LEADER, unit__is_active=True).values_list(
            "user_id", "unit__path"
        )
        self.paths: dict[int, set[str]] = defaultdict(set)
        for user_id, path in [*led, *held]:
            self.paths[user_id].add(path)
        ids = set(self.paths) | {i for i in already if i}
        self.users = {u.pk: u for u in User.objects.filter(pk__in=sorted(ids))}
        names: dict[str, int] = defaultdict(int)
        for u in self.users.values():
            names[plain(str(u))] += 1
        self._twins = {name for name, count in names.items() if count > 1}

    def label(self, user: User | None) -> str | None:
        if user is None:
            return None
        name = plain(str(user))
        return f"{name}（{user.username}）" if name in self._twins else name

    def leads(self, user: User, county: Unit) -> bool:
        return any(p.startswith(county.path) for p in self.paths.get(user.pk, ()))

    def find(self, text: str, county: Unit, current: int | None) -> tuple[User | None, str]:
        """The person a cell names: among the county's leaders (and whoever the record names now)."""
        key = loose(text)
        wanted: list[User] = []
        if key.endswith(")") and "(" in key:
            username = key[key.rindex("(") + 1 : -1]
            wanted = [u for u in self.users.values() if u.username == username]
        if not wanted:
            wanted = [u for u in self.users.values() if u.username == key]
        if not wanted:
            wanted = [u for u in self.users.values() if loose(str(u)) == key]
        eligible = [u for u in wanted if u.pk == current or self.leads(u, county)]
        if len(eligible) == 1:
            return eligible[0], ""
        if len(eligible) > 1:
            return None, f"有多位名为“{text}”的领导，请写成“名称（用户名）”"
        return None, f"“{text}”不是{county.name}的县级领导（可填名称或用户名）"
