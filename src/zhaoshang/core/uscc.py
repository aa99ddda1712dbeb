"""统一社会信用代码 (GB 32100-2015): structure and check characters. Pure: no Django.

Position 1 may be a letter (A, N, Y …: 农村集体经济组织 codes begin with N), so only the
character set is checked there, never "must be a digit" as some libraries wrongly demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_VALUE = {ch: i for i, ch in enumerate(CHARSET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, …
# GB 11714 organisation code inside positions 9–17: digits and the full alphabet A=10 … Z=35.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class UsccCheck:
    code: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise(raw: str) -> str:
    """Upper case, full-width to half-width, spaces and dashes dropped: how people paste codes."""
    if len(raw) == 18 and raw.isascii() and raw.isalnum():
        return raw.upper()  # the usual case, clean already
    out = []
    for ch in raw.strip():
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        if ch in " -\u3000\t":
            continue
        out.append(ch.upper())
    return "".join(out)


def check_character(first17: str) -> str:
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def organisation_check_character(first8: str) -> str | None:
    """GB 11714 check of the organisation code; None when the body is not digits and letters."""
    total = 0
    for ch, w in zip(first8, _ORG_WEIGHTS, strict=True):
        if ch.isdigit():
            total += int(ch) * w
        elif "A" <= ch <= "Z":
            total += (ord(ch) - 55) * w
        else:
            return None
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def organisation_warning(code: str) -> str | None:
    """The GB 11714 check of positions 9–17 of a valid code: a warning only, never an error."""
    expected = organisation_check_character(code[8:16])
    if expected is not None and code[16] != expected:
        return f"第 9–17 位（组织机构代码）校验不符：第 17 位按 GB 11714 应为 {expected}"
    return None


def check(raw: str) -> UsccCheck:
    code = normalise(raw)
    errors: list[str] = []
    warnings: list[str] = []
    if len(code) != 18:
        errors.append(f"应为 18 位，实际为 {len(code)} 位")
        return UsccCheck(code, errors, warnings)
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        errors.append(f"含有不允许的字符 {'、'.join(bad)}（不使用 I、O、S、V、Z）")
        return UsccCheck(code, errors, warnings)
    if not code[2:8].isdigit():
        errors.append("第 3–8 位（登记管理机关行政区划码）应为数字")
    expected = check_character(code[:17])
    if code[17] != expected:
        errors.append(f"校验码不符：第 18 位应为 {expected}，实际为 {code[17]}")
    if warning := organisation_warning(code):
        warnings.append(warning)
    return UsccCheck(code, errors, warnings)
