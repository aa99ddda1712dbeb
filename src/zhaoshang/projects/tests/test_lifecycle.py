"""The project state machine over random histories of attempted moves."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from zhaoshang.projects.engines.lifecycle import (
    DROP_REASONS,
    MOVES,
    Facts,
    Stage,
    problems,
    requirements_up_to,
)

supplies = st.fixed_dictionaries(
    {},
    optional={
        "review_decision": st.sampled_from(["", "pass", "conditional", "reject"]),
        "contract_amount": st.sampled_from([None, Decimal(0), Decimal(-5), Decimal("12000")]),
        "land_area": st.sampled_from([None, Decimal(0), Decimal("45.5")]),
        "start_date": st.sampled_from([None, dt.date(2025, 3, 1)]),
        "production_date": st.sampled_from([None, dt.date(2026, 3, 1)]),
        "full_output_date": st.sampled_from([None, dt.date(2027, 3, 1)]),
        "evidence": st.frozensets(st.sampled_from(["agreement", "land_contract", "construction_permit"])),
        "drop_reason": st.sampled_from(["", "other", "nonsense", *DROP_REASONS]),
        "note": st.sampled_from(["", "  ", "投资方资金链断裂"]),
    },
)
attempts = st.lists(st.tuples(st.sampled_from(list(Stage)), supplies, st.booleans()), max_size=40)


@settings(max_examples=400, deadline=None)
@given(attempts)
def test_no_history_reaches_a_stage_without_its_requirements(history: list) -> None:
    stage, facts = Stage.LEAD, Facts()
    for target, supplied, coordinator in history:
        proposed = dataclasses.replace(facts, **supplied)
        found = problems(stage, target, proposed, may_reopen=coordinator)
        if (stage, target) not in MOVES:
            assert found  # a move that is not in the table never happens
            continue
        if stage == Stage.DROPPED and not coordinator:
            assert found  # dropped is terminal unless a coordinator reopens it
        if found:
            continue
        if target != Stage.DROPPED and stage != Stage.DROPPED:
            # the move's own gate holds for what the project now holds
            gate = requirements_up_to(target)
            own = [r for r in gate if r not in requirements_up_to(stage)]
            assert all(r.met(proposed) for r in own)
        stage, facts = target, proposed


def test_signing_names_every_missing_requirement() -> None:
    found = problems(Stage.REVIEW, Stage.SIGNED, Facts(review_decision="reject"))
    assert found == [
        "须通过预审（通过或有条件通过）",
        "签约须填写大于 0 的合同金额（万元）",
        "签约须上传投资协议",
    ]
    ok = Facts(
        review_decision="conditional", contract_amount=Decimal("30000"), evidence=frozenset({"agreement"})
    )
    assert problems(Stage.REVIEW, Stage.SIGNED, ok) == []


def test_no_skipping_and_reopen_only_by_coordinators() -> None:
    assert problems(Stage.LEAD, Stage.SIGNED, Facts()) == ["阶段：不能从“线索”直接变为“签约”"]
    assert problems(Stage.DROPPED, Stage.NEGOTIATING, Facts(note="投资方重新接洽")) == [
        "阶段：只有统筹协调人员可以恢复已退出的项目"
    ]
    assert problems(Stage.DROPPED, Stage.NEGOTIATING, Facts(note="投资方重新接洽"), may_reopen=True) == []
    assert problems(Stage.DROPPED, Stage.SIGNED, Facts(), may_reopen=True)
    assert problems(Stage.FULL_OUTPUT, Stage.DROPPED, Facts(drop_reason="other", note="x"))
