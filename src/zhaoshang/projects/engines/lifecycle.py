"""The life of an investment project as a pure state machine: stages, allowed moves, what each move
requires and who may make it. No Django, so the rules read in one place and are property-tested.

A move is checked against the project's `Facts` as they would be after the move (the form's
values together with what the project already holds); `problems` lists every unmet requirement in
Chinese, naming the field. Dropped is terminal: only a reopen, with a reason, leaves it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Stage(StrEnum):
    LEAD = "lead"
    NEGOTIATING = "negotiating"
    REVIEW = "review"
    SIGNED = "signed"
    LAND_SUPPLIED = "land_supplied"
    STARTED = "started"
    PRODUCING = "producing"
    FULL_OUTPUT = "full_output"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.LEAD: "线索",
    Stage.NEGOTIATING: "洽谈",
    Stage.REVIEW: "预审",
    Stage.SIGNED: "签约",
    Stage.LAND_SUPPLIED: "供地",
    Stage.STARTED: "开工",
    Stage.PRODUCING: "投产",
    Stage.FULL_OUTPUT: "达产",
    Stage.DROPPED: "退出",
}
PATH = (
    Stage.LEAD,
    Stage.NEGOTIATING,
    Stage.REVIEW,
    Stage.SIGNED,
    Stage.LAND_SUPPLIED,
    Stage.STARTED,
    Stage.PRODUCING,
    Stage.FULL_OUTPUT,
)
DROP_REASONS = {
    "investor_withdrew": "投资方放弃",
    "failed_review": "未通过预审",
    "no_land": "无法落实用地",
    "policy": "不符合产业政策",
    "moved_elsewhere": "落户外地",
    "other": "其他",
}
# The live stages: those with a next step on the path (full output is reached, dropped has left it).
LIVE_STAGES = PATH[:-1]
REVIEW_PASSED = frozenset({"pass", "conditional"})


@dataclass(frozen=True)
class Facts:
    """What the project holds (or the move supplies) that moves may require."""

    review_decision: str = ""  # latest pre-review decision: pass, conditional, reject, or ""
    contract_amount: Decimal | None = None  # 万元
    land_area: Decimal | None = None  # 亩 in the land contract
    start_date: dt.date | None = None
    production_date: dt.date | None = None
    full_output_date: dt.date | None = None
    evidence: frozenset[str] = frozenset()  # kinds of attachments on file
    drop_reason: str = ""
    note: str = ""


EVIDENCE_LABELS = {
    "agreement": "投资协议",
    "land_contract": "土地出让合同",
    "construction_permit": "施工许可证",
    "review_minutes": "预审会议纪要",
    "bank_record": "银行进账单",
    "invoice": "发票",
    "other": "其他材料",
}


@dataclass(frozen=True)
class Requirement:
    field: str
    rule: str
    met: Callable[[Facts], bool]


def _positive(value: Decimal | None) -> bool:
    return value is not None and value > 0


SIGN = (
    Requirement(
        "review_decision", "须通过预审（通过或有条件通过）", lambda f: f.review_decision in REVIEW_PASSED
    ),
    Requirement(
        "contract_amount", "签约须填写大于 0 的合同金额（万元）", lambda f: _positive(f.contract_amount)
    ),
    Requirement("evidence", "签约须上传投资协议", lambda f: "agreement" in f.evidence),
)
SUPPLY_LAND = (
    Requirement("land_area", "供地须填写土地出让合同面积（亩）", lambda f: _positive(f.land_area)),
    Requirement("evidence", "供地须上传土地出让合同", lambda f: "land_contract" in f.evidence),
)
START = (
    Requirement("start_date", "开工须填写开工日期", lambda f: f.start_date is not None),
    Requirement("evidence", "开工须上传施工许可证", lambda f: "construction_permit" in f.evidence),
)
PRODUCE = (Requirement("production_date", "投产须填写投产日期", lambda f: f.production_date is not None),)
FULL_OUTPUT = (
    Requirement("full_output_date", "达产须填写达产日期", lambda f: f.full_output_date is not None),
)
DROP = (
    Requirement("drop_reason", "退出须选择原因", lambda f: f.drop_reason in DROP_REASONS),
    Requirement("note", "退出须写明情况", lambda f: bool(f.note.strip())),
)
REOPEN = (Requirement("note", "恢复已退出的项目须写明原因", lambda f: bool(f.note.strip())),)


@dataclass(frozen=True)
class Move:
    source: Stage
    target: Stage
    requires: tuple[Requirement, ...] = ()
    reopen: bool = False  # only coordinators; the one way out of dropped
    label: str = field(default="")


def _moves() -> dict[tuple[Stage, Stage], Move]:
    moves = [
        Move(Stage.LEAD, Stage.NEGOTIATING, label="开始洽谈"),
        Move(Stage.NEGOTIATING, Stage.REVIEW, label="提交预审"),
        Move(Stage.REVIEW, Stage.NEGOTIATING, label="退回洽谈"),
        Move(Stage.REVIEW, Stage.SIGNED, SIGN, label="签约"),
        Move(Stage.SIGNED, Stage.LAND_SUPPLIED, SUPPLY_LAND, label="供地"),
        Move(Stage.LAND_SUPPLIED, Stage.STARTED, START, label="开工"),
        Move(Stage.STARTED, Stage.PRODUCING, PRODUCE, label="投产"),
        Move(Stage.PRODUCING, Stage.FULL_OUTPUT, FULL_OUTPUT, label="达产"),
    ]
    moves += [Move(s, Stage.DROPPED, DROP, label="退出") for s in PATH if s != Stage.FULL_OUTPUT]
    moves += [Move(Stage.DROPPED, s, REOPEN, reopen=True, label=f"恢复到{s.label}") for s in PATH[:3]]
    return {(m.source, m.target): m for m in moves}


MOVES = _moves()


def moves_from(stage: Stage) -> list[Move]:
    return [m for (source, _), m in MOVES.items() if source == stage]


def problems(source: Stage, target: Stage, facts: Facts, *, may_reopen: bool = False) -> list[str]:
    """Every reason the move may not be made; empty when it may."""
    move = MOVES.get((source, target))
    if move is None:
        return [f"阶段：不能从“{source.label}”直接变为“{target.label}”"]
    if move.reopen and not may_reopen:
        return ["阶段：只有统筹协调人员可以恢复已退出的项目"]
    return [r.rule for r in move.requires if not r.met(facts)]


def requirements_up_to(stage: Stage) -> tuple[Requirement, ...]:
    """What a project in `stage` must have met on the way (for checks over whole histories)."""
    gates = {
        Stage.SIGNED: SIGN,
        Stage.LAND_SUPPLIED: SUPPLY_LAND,
        Stage.STARTED: START,
        Stage.PRODUCING: PRODUCE,
        Stage.FULL_OUTPUT: FULL_OUTPUT,
    }
    if stage not in PATH:
        return ()
    reached = PATH[: PATH.index(stage) + 1]
    return tuple(r for s in reached for r in gates.get(s, ()))
