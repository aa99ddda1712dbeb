"""Projects as the tests of the API and the spreadsheets need them, built through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services
from zhaoshang.projects.models import Project

# A review committee whose majority agrees: review_record asks for at least three votes.
COMMITTEE = [
    {"member": "发改局 王强", "vote": "conditional"},
    {"member": "自然资源局 刘芳", "vote": "pass"},
    {"member": "生态环境局 陈静", "vote": "reject", "note": "能耗偏高"},
]


def make_project(county: Any, by: Any, town: Any = None, **extra: Any) -> Project:
    fields: dict[str, Any] = {
        "name": "新能源电池项目",
        "investor_name": "宁波某电池股份有限公司",
        "channel": "investor_referral",
        "town": town or county.town_a,
        # The bureau leads the coordinator's projects; a town names units of its own.
        "lead_unit": county.bureau if by == county.coordinator else town or county.town_a,
        "responsible_leader": county.leader,
        "planned_investment": Decimal("30000"),
    }
    return services.project_create(principal_for(by), **(fields | extra))


def signed_project(county: Any, **extra: Any) -> Project:
    """A project of town A signed through every step the state machine asks for."""
    return sign(county.coordinator, make_project(county, county.coordinator, **extra))


def sign(coordinator_user: Any, p: Project, contract: Decimal = Decimal("28000")) -> Project:
    """Take a project from lead to signed today, by a coordinator, with the committee's pass."""
    coordinator, today = principal_for(coordinator_user), timezone.localdate()
    services.project_move(coordinator, p, "negotiating", on=today)
    services.project_move(coordinator, p, "review", on=today)
    services.review_record(coordinator, p, decision="pass", notes="同意", votes=COMMITTEE)
    services.project_move(
        coordinator,
        p,
        "signed",
        on=today,
        supplied={"contract_amount": contract},
        evidence=[("agreement", "投资协议.pdf", b"%PDF")],
    )
    p.refresh_from_db()
    return p
