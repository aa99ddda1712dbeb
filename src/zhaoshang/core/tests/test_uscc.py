"""统一社会信用代码: real published codes pass, every single-character change of them fails."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhaoshang.core import uscc

# Published on company reports and regulators' pages (华为, 腾讯, 中国石化, 贵州茅台, 小米, 比亚迪, 中国平安,
# 阿里巴巴, a 事业单位, 个体工商户 "92…" and MA-series codes).
REAL = [
    "914403001922038216",
    "9144030071526726XG",
    "91110000710926094P",
    "915200007090837316",
    "91110108551385082Q",
    "91440300192317458F",
    "91440300100012316L",
    "91330100799655058B",
    "12100000400000624D",
    "121200004013590816",
    "91110000600037341L",
    "91310115MA1K3BTP2B",
    "91340600MA2PBM9HXD",
    "91620105L015101280",
    "92340602MA2PBMEM24",
    "92340621MA2UK3PJXE",
]


def test_real_codes_pass() -> None:
    for code in REAL:
        result = uscc.check(code)
        assert result.ok, (code, result.errors)


def test_codes_are_normalised_as_people_paste_them() -> None:
    assert uscc.check(" 9144 0300 1922 0382 16 ").ok
    assert uscc.check("９１４４０３００１９２２０３８２１６").ok  # full-width digits
    assert uscc.check("9144030071526726xg").ok


def test_a_code_may_begin_with_a_letter() -> None:
    """农村集体经济组织 codes begin with N; some libraries wrongly demand a digit there."""
    body = "N2330521" + "MF1234567"
    assert uscc.check(body + uscc.check_character(body)).ok


def test_each_rule_names_itself() -> None:
    assert "18 位" in uscc.check("91440300192317458").errors[0]
    assert "不允许的字符" in uscc.check("9144030019231745IO").errors[0]
    assert "校验码不符" in uscc.check("91440300192317458A").errors[0]


def test_a_failed_organisation_check_is_only_a_warning() -> None:
    body = "913300001234567" + "80"
    code = body + uscc.check_character(body)
    result = uscc.check(code)
    assert result.ok and result.warnings


@settings(max_examples=300)
@given(code=st.sampled_from(REAL), position=st.integers(0, 17), replacement=st.sampled_from(uscc.CHARSET))
def test_every_single_character_change_is_refused(code: str, position: int, replacement: str) -> None:
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    assert not uscc.check(changed).ok


def test_every_single_character_change_of_every_real_code_is_refused_exhaustively() -> None:
    for code in REAL:
        for position in range(18):
            for replacement in uscc.CHARSET:
                if replacement != code[position]:
                    changed = code[:position] + replacement + code[position + 1 :]
                    assert not uscc.check(changed).ok, changed
