"""履约: the promise frozen at signing, hand-worked shortfalls with their messages, and properties."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from zhaoshang.projects.engines.promises import Achieved, Promise, Shortfall, promise_at_signing, shortfalls

D = dt.date
FAST = settings(max_examples=200, deadline=None)

# Signed for 15000 万元 on 25 亩, promising 2500 万元 tax and 20000 万元 output a year, to start by
# 2024-03-01 and produce by 2025-06-30.
PROMISE = promise_at_signing(
    Decimal(15000), Decimal(25), Decimal(2500), Decimal(20000), D(2024, 3, 1), D(2025, 6, 30)
)


def _keys(found: list[Shortfall]) -> list[str]:
    return [s.key for s in found]


def test_promise_at_signing_divides_by_the_land_asked_for() -> None:
    # 15000 / 25 = 600 万元/亩; 2500 / 25 = 100 万元/亩·年.
    expected = Promise(Decimal(600), Decimal(100), Decimal(20000), D(2024, 3, 1), D(2025, 6, 30))
    assert expected == PROMISE
    for land in (None, Decimal(0)):
        no_land = promise_at_signing(Decimal(15000), land, Decimal(2500), None, None, None)
        assert (no_land.intensity, no_land.tax_per_mu) == (None, None)
    assert promise_at_signing(None, Decimal(25), None, None, None, None) == Promise()


def test_promise_json_is_plain_strings() -> None:
    assert PROMISE.as_json() == {
        "intensity": "600",
        "tax_per_mu": "100",
        "output": "20000",
        "start": "2024-03-01",
        "production": "2025-06-30",
    }
    assert Promise.from_json({}) == Promise()
    assert Promise.from_json({"intensity": "", "start": None, "output": 12.5}) == Promise(
        output=Decimal("12.5")
    )


def test_nothing_is_owed_before_the_promised_dates() -> None:
    assert shortfalls(PROMISE, Achieved(), D(2024, 2, 1)) == []
    assert shortfalls(PROMISE, Achieved(), D(2024, 3, 1)) == []  # due today: not yet late


def test_not_started_a_day_after_the_promised_start() -> None:
    assert shortfalls(PROMISE, Achieved(), D(2024, 3, 2)) == [
        Shortfall("start", "约定 2024-03-01 前开工，至今未开工（已逾期 1 天）")
    ]


def test_started_late() -> None:
    # 2024-03-01 → 2024-04-15: 30 days of March after the 1st, then 15 of April = 45 days.
    found = shortfalls(PROMISE, Achieved(start=D(2024, 4, 15)), D(2024, 5, 1))
    assert found == [Shortfall("start", "约定 2024-03-01 前开工，实际 2024-04-15（晚 45 天）")]


def test_started_on_time_but_not_producing_past_the_promised_date() -> None:
    found = shortfalls(PROMISE, Achieved(start=D(2024, 2, 20)), D(2025, 7, 10))
    assert found == [Shortfall("production", "约定 2025-06-30 前投产，至今未投产（已逾期 10 天）")]


def test_figures_wait_for_production() -> None:
    # Low figures before production are not judged: tax and output come from full years after it.
    achieved = Achieved(
        start=D(2024, 2, 20),
        intensity=Decimal(100),
        tax_per_mu=Decimal(1),
        output=Decimal(1),
        figures_year=2024,
    )
    assert shortfalls(PROMISE, achieved, D(2025, 6, 1)) == []


def test_tax_and_output_judged_after_production_intensity_at_full_output() -> None:
    producing = Achieved(
        start=D(2024, 2, 20),
        production=D(2025, 6, 1),
        intensity=Decimal(450),
        tax_per_mu=Decimal(80),
        output=Decimal(25000),
        figures_year=2026,
    )
    # Tax per 亩 80 against 100: (100 − 80) / 100 = 20 %. Output 25000 beats 20000.
    # Intensity 450 < 600 but the project has not reached full output: not judged yet.
    assert shortfalls(PROMISE, producing, D(2027, 3, 1)) == [
        Shortfall("tax_per_mu", "亩均税收承诺 100 万元/亩，实际（2026 年） 80 万元/亩，差 20%")
    ]
    full = replace(producing, full_output=D(2026, 6, 1))
    # (600 − 450) / 600 = 25 %; intensity is not a yearly figure, so no year is named.
    assert shortfalls(PROMISE, full, D(2027, 3, 1)) == [
        Shortfall("intensity", "投资强度承诺 600 万元/亩，实际 450 万元/亩，差 25%"),
        Shortfall("tax_per_mu", "亩均税收承诺 100 万元/亩，实际（2026 年） 80 万元/亩，差 20%"),
    ]


def test_every_promise_broken_at_once() -> None:
    late = Achieved(
        start=D(2024, 5, 1),
        production=D(2025, 9, 30),
        full_output=D(2026, 12, 31),
        intensity=Decimal(400),
        tax_per_mu=Decimal("66.666"),
        output=Decimal("12345.678"),
    )
    found = shortfalls(PROMISE, late, D(2027, 6, 1))
    assert _keys(found) == ["start", "production", "intensity", "tax_per_mu", "output"]
    messages = {s.key: s.message for s in found}
    # 2024-03-01 → 2024-05-01 = 31 + 30 = 61 days; 2025-06-30 → 2025-09-30 = 31 + 31 + 30 = 92 days.
    assert messages["start"] == "约定 2024-03-01 前开工，实际 2024-05-01（晚 61 天）"
    assert messages["production"] == "约定 2025-06-30 前投产，实际 2025-09-30（晚 92 天）"
    # (100 − 66.666) / 100 = 33.334 % → 33.33; no figures year: no year named.
    assert messages["tax_per_mu"] == "亩均税收承诺 100 万元/亩，实际 66.67 万元/亩，差 33.33%"
    # (20000 − 12345.678) / 20000 = 38.27161 % → 38.27.
    assert messages["output"] == "年产值承诺 20000 万元，实际 12345.68 万元，差 38.27%"


def test_an_empty_promise_owes_nothing() -> None:
    achieved = Achieved(production=D(2025, 1, 1), full_output=D(2025, 6, 1), intensity=Decimal(0))
    assert shortfalls(Promise(), achieved, D(2030, 1, 1)) == []


# --- properties --------------------------------------------------------------------------------

DAYS = st.dates(min_value=D(2018, 1, 1), max_value=D(2032, 12, 31))
FIGURE = st.decimals(min_value=0, max_value=100_000, places=4)


@st.composite
def promises(draw: st.DrawFn) -> Promise:
    return Promise(
        intensity=draw(st.none() | FIGURE),
        tax_per_mu=draw(st.none() | FIGURE),
        output=draw(st.none() | FIGURE),
        start=draw(st.none() | DAYS),
        production=draw(st.none() | DAYS),
    )


@st.composite
def achievements(draw: st.DrawFn) -> Achieved:
    return Achieved(
        start=draw(st.none() | DAYS),
        production=draw(st.none() | DAYS),
        full_output=draw(st.none() | DAYS),
        intensity=draw(st.none() | FIGURE),
        tax_per_mu=draw(st.none() | FIGURE),
        output=draw(st.none() | FIGURE),
        figures_year=draw(st.none() | st.integers(2018, 2032)),
    )


@FAST
@given(promises())
def test_promise_json_round_trip(promise: Promise) -> None:
    stored = json.loads(json.dumps(promise.as_json()))  # as it sits in the JSON column
    again = Promise.from_json(stored)
    assert again == promise
    assert again.as_json() == promise.as_json()


@FAST
@given(promises(), achievements(), DAYS, st.data())
def test_meeting_or_beating_every_promise_owes_nothing(
    promise: Promise, anything: Achieved, today: dt.date, data: st.DataObject
) -> None:
    def on_or_before(promised: dt.date | None, other: dt.date | None) -> dt.date | None:
        if promised is None:
            return other
        return promised - dt.timedelta(days=data.draw(st.integers(0, 400)))

    def at_least(promised: Decimal | None, other: Decimal | None) -> Decimal | None:
        return other if promised is None else promised + data.draw(FIGURE)

    kept = replace(
        anything,
        start=on_or_before(promise.start, anything.start),
        production=on_or_before(promise.production, anything.production),
        intensity=at_least(promise.intensity, anything.intensity),
        tax_per_mu=at_least(promise.tax_per_mu, anything.tax_per_mu),
        output=at_least(promise.output, anything.output),
    )
    assert shortfalls(promise, kept, today) == []


@FAST
@given(promises(), achievements(), DAYS)
def test_nothing_done_owes_only_dates_passed(promise: Promise, achieved: Achieved, today: dt.date) -> None:
    # Not started, not producing: only the promised dates already past are owed, figures wait.
    found = shortfalls(promise, replace(achieved, start=None, production=None), today)
    expected = [
        k for k, day in (("start", promise.start), ("production", promise.production)) if day and today > day
    ]
    assert _keys(found) == expected


@FAST
@given(
    promises(),
    achievements(),
    DAYS,
    st.sampled_from(["start", "production", "intensity", "tax_per_mu", "output"]),
    st.integers(1, 800),
)
def test_worse_achievement_never_removes_a_shortfall(
    promise: Promise, achieved: Achieved, today: dt.date, what: str, by: int
) -> None:
    current = getattr(achieved, what)
    if current is None:
        return
    if isinstance(current, dt.date):
        worse = current + dt.timedelta(days=by)  # later
    else:
        worse = max(current - Decimal(by) / 4, Decimal(0))  # lower
    before = set(_keys(shortfalls(promise, achieved, today)))
    after = set(_keys(shortfalls(promise, replace(achieved, **{what: worse}), today)))
    assert before <= after


@FAST
@given(promises(), achievements(), DAYS, st.integers(1, 2000))
def test_time_passing_never_removes_a_shortfall(
    promise: Promise, achieved: Achieved, today: dt.date, days: int
) -> None:
    before = set(_keys(shortfalls(promise, achieved, today)))
    assert before <= set(_keys(shortfalls(promise, achieved, today + dt.timedelta(days=days))))


@FAST
@given(promises(), achievements(), DAYS)
def test_each_message_names_the_promise_and_the_gap(
    promise: Promise, achieved: Achieved, today: dt.date
) -> None:
    for found in shortfalls(promise, achieved, today):
        if found.key in ("start", "production"):
            promised = getattr(promise, found.key)
            assert found.message.startswith(f"约定 {promised:%Y-%m-%d} 前")
            assert "逾期" in found.message or "晚" in found.message
        else:
            assert "承诺" in found.message and "，差 " in found.message and found.message.endswith("%")
            assert getattr(achieved, found.key) < getattr(promise, found.key)
