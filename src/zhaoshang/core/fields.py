"""How money and land are stored, in one place: Decimal 万元 with 4 places, Decimal 亩 with 4 places."""

from __future__ import annotations

from typing import Any

# An optional amount in 万元 (up to 999,999,999,999.9999 万元), e.g. `models.DecimalField("合同金额（万元）", **MONEY)`.
MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 4, "null": True, "blank": True}
# An optional area in 亩.
LAND: dict[str, Any] = {"max_digits": 12, "decimal_places": 4, "null": True, "blank": True}
