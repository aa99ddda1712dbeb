"""The audit log: every service write calls `record`, and `verify` proves nothing was edited or removed.

Each event stores the SHA-256 of its own canonical content and of its predecessor, so changing
any stored byte, or removing a row, breaks the chain at the first affected event. The chain head
(newest seq and hash) lives in one locked row. Each event is also sealed with an HMAC whose key
lives outside the database, and daily anchors go to a second place (`core.audit_seal`), so neither
recomputing the hashes after an edit nor cutting off the newest events passes the check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from zhaoshang.core import bulk, context
from zhaoshang.core.audit_seal import seal, seal_matches
from zhaoshang.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
# Never copied into an event, whatever model they sit on.
SECRET_FIELDS = frozenset({"password", "key_hash", "session_key"})

HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_repr",
    "actor_role",
    "actor_unit",
    "ip",
    "request_id",
    "channel",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "before",
    "after",
    "reason",
    "prev_hash",
)


# PostgreSQL's jsonb cannot hold U+0000; an escaped NUL (not an escaped backslash before "u0000") becomes U+FFFD.
_NUL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")


def _floats_as_text(value: Any) -> Any:
    # jsonb rewrites some floats (1e+20 comes back as an integer), which would change the hash.
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {k: _floats_as_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_floats_as_text(v) for v in value]
    return value


_ENCODER = DjangoJSONEncoder()
_PLAIN = (str, int, bool, type(None))


def _flat_safe(value: dict[str, Any]) -> dict[str, Any] | None:
    """The fast path for a flat record snapshot: the same result as the JSON round trip, without it."""
    out: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            return None
        if isinstance(item, str):
            out[key] = item.replace("\x00", "\ufffd")
        elif isinstance(item, _PLAIN):
            out[key] = item
        elif isinstance(item, float):
            out[key] = repr(item)
        elif isinstance(item, Decimal | dt.date | dt.time):
            out[key] = _ENCODER.default(item)
        else:
            return None
    return out


def json_safe(value: Any) -> Any:
    """Round-trip through JSON so what we hash is exactly what the database gives back."""
    if isinstance(value, dict) and (flat := _flat_safe(value)) is not None:
        return flat
    text = json.dumps(_floats_as_text(value), cls=DjangoJSONEncoder, ensure_ascii=False)
    return json.loads(_NUL_ESCAPE.sub(r"\1\\ufffd", text))


def _canonical_at(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(fields: dict[str, Any]) -> str:
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["at"] = _canonical_at(payload["at"])
    text = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited fields of a record as JSON-safe values (foreign keys as ids)."""
    wanted = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.name in SECRET_FIELDS or (wanted is not None and f.name not in wanted):
            continue
        value = getattr(instance, f.attname)
        if isinstance(value, Decimal):
            value = str(value)
        data[f.name] = value
    return json_safe(data)


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, for an update event."""
    keys = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def target_label(instance: models.Model) -> str:
    return instance._meta.label_lower


# A model moved to another app is recorded under its new label, but the chain keeps the events
# written before under the old one (rewriting them would break every hash): {label: former labels}.
FORMER_LABELS: dict[str, tuple[str, ...]] = {}


def register_former_label(label: str, former: str) -> None:
    """Say that events of the model `label` ("promotion.promotionproject") were once recorded as `former`."""
    known = FORMER_LABELS.get(label, ())
    if former not in known:
        FORMER_LABELS[label] = (*known, former)


def labels_of(label: str) -> tuple[str, ...]:
    """Every label a record type's events carry: its own first, then those it had before a move."""
    return (label, *FORMER_LABELS.get(label, ()))


def current_label(label: str) -> str:
    """The label a record type has today, given one its events may carry."""
    for now, former in FORMER_LABELS.items():
        if label in former:
            return now
    return label


class AuditChainBroken(RuntimeError):
    """The chain head is gone while events remain: writing on would hide what happened."""


def _locked_head() -> AuditChainHead:
    try:
        return AuditChainHead.objects.select_for_update().get(pk=1)
    except AuditChainHead.DoesNotExist:
        if AuditEvent.objects.exists():
            raise AuditChainBroken(
                "审计链头记录丢失：请先运行 zhaoshang audit verify 并通知督查人员"
            ) from None
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(pk=1)
        except IntegrityError:
            pass  # another writer created it first
        return AuditChainHead.objects.select_for_update().get(pk=1)


def record(
    action: str,
    target: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    target_type: str = "",
    target_id: str | int = "",
    target_repr: str = "",
    actor: Any = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction (so it rolls back with it)."""
    ctx = context.current()
    if target is not None:
        target_type = target_type or target_label(target)
        target_id = target_id or target.pk
        target_repr = target_repr or str(target)
    actor_id = actor.pk if actor is not None else ctx.user_id
    actor_repr = str(actor) if actor is not None else ctx.user_repr
    # No savepoint of its own: an event that cannot be written fails the caller's whole write (two
    # round trips fewer per event on PostgreSQL).
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        fields: dict[str, Any] = {
            "seq": head.seq + 1,
            "at": timezone.now(),
            "actor_id": actor_id,
            "actor_repr": actor_repr[:150],
            "actor_role": ctx.role[:30],
            "actor_unit": ctx.unit_repr[:200],
            "ip": ctx.ip,
            "request_id": ctx.request_id,
            "channel": ctx.channel,
            "action": action,
            "target_type": target_type,
            "target_id": str(target_id),
            "target_repr": target_repr[:200],
            "before": json_safe(before) if before is not None else None,
            "after": json_safe(after) if after is not None else None,
            "reason": reason,
            "prev_hash": head.hash,
        }
        fields["hash"] = event_hash(fields)
        fields["hmac"] = seal(fields["hash"])
        event = AuditEvent.objects.create(**fields)
        head.seq, head.hash = event.seq, event.hash
        head.hmac_from = head.hmac_from or event.seq
        head.save(update_fields=["seq", "hash", "hmac_from"])
    return event


def record_many(events: list[dict[str, Any]], *, chunk: int = 2000) -> int:
    """Append many events under one lock (an import's thousands of rows): same chain, bulk inserts.

    Each dict has `action` and the keyword arguments of `record` (target_type, target_id, target_repr,
    before, after, reason). The actor and address come from the current context.
    """
    if not events:
        return 0
    ctx = context.current()
    with transaction.atomic():
        head = _locked_head()
        seq, prev = head.seq, head.hash
        now = timezone.now()
        rows: list[dict[str, Any]] = []
        for spec in events:
            seq += 1
            fields: dict[str, Any] = {
                "seq": seq,
                "at": now,
                "actor_id": ctx.user_id,
                "actor_repr": ctx.user_repr[:150],
                "actor_role": ctx.role[:30],
                "actor_unit": ctx.unit_repr[:200],
                "ip": ctx.ip,
                "request_id": ctx.request_id,
                "channel": ctx.channel,
                "action": spec["action"],
                "target_type": spec.get("target_type", ""),
                "target_id": str(spec.get("target_id", "")),
                "target_repr": str(spec.get("target_repr", ""))[:200],
                "before": json_safe(spec["before"]) if spec.get("before") is not None else None,
                "after": json_safe(spec["after"]) if spec.get("after") is not None else None,
                "reason": spec.get("reason", ""),
                "prev_hash": prev,
            }
            fields["hash"] = prev = event_hash(fields)
            fields["hmac"] = seal(prev)
            rows.append(fields)
        # A plain multi-row INSERT: the ORM's per-value compilation would cost more than the hashing.
        bulk.insert_values(AuditEvent, rows, chunk=chunk)
        head.hmac_from = head.hmac_from or head.seq + 1
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash", "hmac_from"])
    return len(events)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""


def verify(progress: Callable[[int, int], None] | None = None, chunk: int = 2000) -> ChainReport:
    """Walk the chain from the first event up to the head as it stood when the check began.

    Events written while the check runs lie beyond that head and are left for the next check.
    """
    head = AuditChainHead.objects.filter(pk=1).values("seq", "hash", "hmac_from").first()
    if head is None:
        first = AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()
        if first is None:
            return ChainReport(True, 0, 0, GENESIS)
        return ChainReport(False, 0, 0, GENESIS, first, "审计链头记录丢失")
    total = head["seq"]
    if total and not head["hmac_from"]:
        return ChainReport(False, 0, total, head["hash"], 1, "审计链的校验码起点记录丢失")
    # Events before the HMAC era carry only their hashes; from it on every one must carry its seal.
    sealed_from, sealed_seen = head["hmac_from"] or 1, False
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    columns = ("id", "hash", "hmac", *HASHED_FIELDS)
    rows = AuditEvent.objects.filter(seq__lte=total).order_by("seq").values(*columns)
    for row in rows.iterator(chunk_size=chunk):
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(False, checked, seq, row["hash"], expected_seq, f"事件 #{expected_seq} 缺失")
        if row["prev_hash"] != expected_prev:
            return ChainReport(False, checked, seq, row["hash"], seq, f"事件 #{seq} 的前序哈希与上一事件不符")
        if event_hash(row) != row["hash"]:
            return ChainReport(False, checked, seq, row["hash"], seq, f"事件 #{seq} 的内容已被修改")
        if (seq >= sealed_from or row["hmac"] or sealed_seen) and not seal_matches(row["hash"], row["hmac"]):
            problem = f"事件 #{seq} 的校验码（HMAC）不符：内容被改写并重算了哈希"
            return ChainReport(False, checked, seq, row["hash"], seq, problem)
        sealed_seen = sealed_seen or bool(row["hmac"])
        expected_prev, expected_seq = row["hash"], seq + 1
        checked += 1
        if progress and (checked % chunk == 0 or checked == total):
            progress(checked, total)
    last_seq = expected_seq - 1
    if last_seq != head["seq"] or expected_prev != head["hash"]:
        return ChainReport(
            False,
            checked,
            last_seq,
            expected_prev,
            last_seq + 1,
            f"链头记录到 #{head['seq']}，现存最后事件为 #{last_seq}",
        )
    return ChainReport(True, checked, last_seq, expected_prev)


def anchor_matches(anchor: str) -> bool:
    """An anchor is "SEQ:HASH" as printed by `audit verify`: that event must still carry that hash."""
    seq_text, _, hash_prefix = anchor.partition(":")
    if not seq_text.isdecimal() or len(hash_prefix) < 8:
        raise ValueError("锚点格式应为 序号:哈希（至少 8 位），如 1024:3fa2c9e1")
    return AuditEvent.objects.filter(seq=int(seq_text), hash__startswith=hash_prefix.lower()).exists()


def history(
    target: models.Model, limit: int = 50, related: Iterable[models.Model] = ()
) -> models.QuerySet[AuditEvent]:
    """A record's own events, newest first, for the history box on its page; with `related`, also
    those of the records that belong to it (an enterprise's yearly figures and qualifications)."""
    ids: dict[str, set[str]] = {}
    for record in (target, *related):
        ids.setdefault(target_label(record), set()).add(str(record.pk))
    match = models.Q()
    for label, pks in ids.items():
        match |= models.Q(target_type__in=labels_of(label), target_id__in=sorted(pks))
    return AuditEvent.objects.filter(match).order_by("-seq")[:limit]
