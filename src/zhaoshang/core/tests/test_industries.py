from __future__ import annotations

import pytest

from zhaoshang.core import industries


def test_the_table_has_every_level_of_the_standard() -> None:
    levels = [i.level for i in industries.table().values()]
    assert (levels.count(1), levels.count(2)) == (20, 97)
    assert levels.count(4) >= 1380


def test_codes_are_validated_and_named() -> None:
    assert industries.validate("C3011").name == "水泥制造"
    assert industries.validate("3011").code == "3011"
    with pytest.raises(ValueError, match="不是 GB/T 4754-2017"):
        industries.validate("9999")
    with pytest.raises(ValueError, match="门类"):
        industries.validate("C")


def test_lineage_runs_from_the_section_down() -> None:
    assert [i.code for i in industries.lineage("3011")] == ["C", "30", "301", "3011"]
