"""The industry picker: found by part of a code or a name, and what it fills in cleans to the code."""

from __future__ import annotations

import pytest
from django import forms

from zhaoshang.core import pickers


class _Form(forms.Form):
    industry = pickers.IndustryField(label="行业")


def test_search_by_code_prefix_or_name_broad_levels_first() -> None:
    assert [i.code for i in pickers.search("301")][:3] == ["301", "3011", "3012"]
    by_name = [i.label for i in pickers.search("水泥")]
    assert "3011 水泥制造" in by_name and by_name == sorted(by_name, key=lambda t: len(t.split()[0]))
    assert pickers.search("C3011")[0].code == "3011"
    assert pickers.search("") == [] and pickers.search("没有这个行业") == []


@pytest.mark.parametrize("typed", ["3011", "C3011", "3011 水泥制造", " 3011　水泥制造 "])
def test_what_the_picker_fills_in_cleans_to_the_code(typed: str) -> None:
    form = _Form({"industry": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["industry"] == "3011"


def test_a_code_too_broad_or_unknown_is_refused_in_chinese_and_kept() -> None:
    form = _Form({"industry": "C"})
    assert not form.is_valid() and "请至少填到大类" in form.errors["industry"][0]
    form = _Form({"industry": "9999"})
    assert not form.is_valid() and "不是 GB/T 4754-2017 中的行业代码" in form.errors["industry"][0]
    assert 'value="9999"' in str(form["industry"])


def test_a_stored_code_is_shown_with_its_name() -> None:
    html = str(_Form(initial={"industry": "4220"})["industry"])
    assert 'value="4220 非金属废料和碎屑加工处理"' in html and "<datalist" in html
    assert pickers.industry_label("4220") == "4220 非金属废料和碎屑加工处理"
    assert pickers.industry_label("") == "—"
