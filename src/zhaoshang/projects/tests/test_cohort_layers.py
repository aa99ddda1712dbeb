"""Speech 001's cohort rules: "其中" puts the 500 强 rule inside the two signing cohorts, and a
county's rulebook adds to the city's required rules (the stricter wins, each says whose it is)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.org.principal import principal_for
from zhaoshang.projects import rulebooks
from zhaoshang.projects.engines.cohorts import CohortFacts, combine, covers, evaluate, parse
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Rulebook
from zhaoshang.projects.tests.prereview_cases import FAST

D = dt.date
SHIPPED = rulebooks.shipped("cohorts")
CITY = parse(SHIPPED)


def _rule(name: str, share: float, by: str = "2025-12-31", **extra: Any) -> dict[str, Any]:
    return {"name": name, "share": share, "reach": "started", "by": by, **extra}


def test_the_500_strong_rule_covers_only_the_two_signing_cohorts() -> None:
    ranked = CITY[2]
    in_2024 = CohortFacts("a", D(2024, 3, 1), Stage.SIGNED, investor_rank="global500")
    in_2022 = CohortFacts("b", D(2022, 3, 1), Stage.SIGNED, investor_rank="global500")
    plain = CohortFacts("c", D(2023, 3, 1), Stage.SIGNED)
    assert [covers(ranked, f) for f in (in_2024, in_2022, plain)] == [True, False, False]
    assert ranked.signed_label == "2023、2024 年"
    assert evaluate(ranked, [in_2024, in_2022, plain], D(2025, 1, 1)).covered == ["a"]


def test_a_county_adds_to_the_city_and_the_stricter_of_one_cohort_stands() -> None:
    county = parse(
        {
            "rules": [
                _rule("2024 年签约项目开工七成", 0.7, signed_year=2024),  # stricter than the city's half
                _rule("2023 年签约项目开工八成", 0.8, signed_year=2023),  # looser than the city's all
                _rule("2025 年签约项目开工三成", 0.3, signed_year=2025),  # a cohort the city does not name
            ]
        }
    )
    combined = combine([("市级规则", CITY), ("本县规则", county)])
    assert [(r.name, r.source) for r in combined] == [
        ("2023 年签约项目 2025 年底前全部开工", "市级规则"),
        ("2024 年签约项目开工七成", "本县规则"),
        ("其中三类 500 强项目全部开工", "市级规则"),
        ("2025 年签约项目开工三成", "本县规则"),
    ]


def test_the_same_share_by_an_earlier_date_is_stricter() -> None:
    city = parse({"rules": [_rule("市", 0.5, signed_year=2024)]})
    county = parse({"rules": [_rule("县", 0.5, by="2025-06-30", signed_year=2024)]})
    assert [r.name for r in combine([("市级规则", city), ("本县规则", county)])] == ["县"]
    assert [r.name for r in combine([("市级规则", county), ("本县规则", city)])] == ["县"]


@FAST
@given(
    city=st.lists(
        st.tuples(st.sampled_from([2023, 2024, 2025]), st.sampled_from([0.3, 0.5, 1.0])), max_size=4
    ),
    county=st.lists(
        st.tuples(st.sampled_from([2023, 2024, 2025]), st.sampled_from([0.3, 0.5, 1.0])), max_size=4
    ),
)
def test_combining_never_loosens_a_required_rule(
    city: list[tuple[int, float]], county: list[tuple[int, float]]
) -> None:
    above = parse({"rules": [_rule(f"市{i}", s, signed_year=y) for i, (y, s) in enumerate(city)]})
    below = parse({"rules": [_rule(f"县{i}", s, signed_year=y) for i, (y, s) in enumerate(county)]})
    combined = combine([("市级规则", above), ("本县规则", below)])
    by_cohort = {r.cohort: r.share for r in combined}
    assert len(by_cohort) == len(combined)  # one requirement per cohort
    for rule in [*above, *below]:
        assert by_cohort[rule.cohort] >= rule.share


def test_the_pages_say_whose_rule_it_is(client: Any, demo_county: Any) -> None:
    city, county = demo_county.unit("示范市"), demo_county.unit("示范县")
    Rulebook.objects.create(unit=city, kind="cohorts", content=SHIPPED)  # the city's rules, as data
    coordinator = demo_county.user("coordinator")
    rulebooks.rulebook_save(
        principal_for(coordinator),
        county,
        "cohorts",
        {"rules": [_rule("2024 年签约项目开工七成", 0.7, signed_year=2024)]},
    )
    client.force_login(coordinator)
    page = client.get(f"/projects/cohorts/?unit={county.pk}")
    assert [(r.rule.name, r.rule.source) for r, _ in page.context["results"]] == [
        ("2023 年签约项目 2025 年底前全部开工", "市级规则"),
        ("2024 年签约项目开工七成", "本县规则"),
        ("其中三类 500 强项目全部开工", "市级规则"),
    ]
    body = page.content.decode()
    assert "市级规则、本县规则" in body and '<td class="source">本县规则</td>' in body
    rules = client.get(f"/projects/rules/?unit={county.pk}").content.decode()
    assert '<td class="source">市级规则</td>' in rules and "市级规则 + 本县规则" in rules
