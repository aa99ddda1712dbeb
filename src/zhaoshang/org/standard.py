"""The unit kinds every deployment starts with. They are rows, not code: a deployment may add more."""

from __future__ import annotations

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org import services
from zhaoshang.org.models import UnitKind

# (code, name, is_jurisdiction, order)
STANDARD_KINDS = [
    ("province", "省", True, 10),
    ("city", "市", True, 20),
    ("county", "县（市、区）", True, 30),
    ("department", "部门", False, 40),
    ("town", "乡镇/街道", False, 50),
    ("park", "园区", False, 60),
    ("team", "招商小分队", False, 70),
    ("office", "驻外招商分局", False, 80),
    ("leadership", "领导机关", False, 35),
]


def ensure_standard_kinds() -> dict[str, UnitKind]:
    return {
        code: UnitKind.objects.filter(code=code).first()
        or services.unit_kind_create(by=SYSTEM, code=code, name=name, is_jurisdiction=j, sort_order=order)
        for code, name, j, order in STANDARD_KINDS
    }
