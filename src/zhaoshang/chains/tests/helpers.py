from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhaoshang.chains import services
from zhaoshang.chains.models import Chain, ChainNode
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org.models import Leader


def chain(county: Any, **extra: Any) -> Chain:
    """智能制造 in the test county: the leader is its chief, the bureau its lead unit."""
    Leader.objects.get_or_create(user=county.leader, defaults={"unit": county.county, "title": "副县长"})
    return services.chain_create(
        SYSTEM,
        county.county,
        name=extra.pop("name", "智能制造"),
        chief=county.leader,
        lead_unit=county.bureau,
        output_target=Decimal("500000"),
        **extra,
    )


def node(c: Chain, name: str = "数控机床", status: str = "missing", **extra: Any) -> ChainNode:
    return services.node_create(
        SYSTEM, c, segment=extra.pop("segment", "midstream"), name=name, status=status, **extra
    )
