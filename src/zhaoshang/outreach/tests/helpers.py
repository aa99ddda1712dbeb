from __future__ import annotations

from typing import Any

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org import services as org_services
from zhaoshang.org.models import UnitKind
from zhaoshang.org.standard import ensure_standard_kinds
from zhaoshang.outreach import services
from zhaoshang.outreach.models import Contact
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project


def contact(county: Any, name: str = "浙江商会", kind: str = "chamber", **extra: Any) -> Contact:
    return services.contact_create(
        SYSTEM,
        kind=kind,
        name=name,
        region="yangtze",
        keeper_unit=extra.pop("keeper_unit", county.bureau),
        **extra,
    )


def project(county: Any, name: str = "新能源电池项目", **extra: Any) -> Project:
    from zhaoshang.org.principal import principal_for

    return project_services.project_create(
        principal_for(county.coordinator),
        name=name,
        investor_name=extra.pop("investor_name", "宁波某新能源股份有限公司"),
        channel="chamber",
        town=county.town_a,
        lead_unit=county.bureau,
        **extra,
    )


def recogniser(county: Any) -> None:
    """The county's recognising unit (发改局): here the bureau, whose coordinator works it."""
    services.settings_save(SYSTEM, county.county, recognising_unit=county.bureau)


def team(county: Any, name: str = "第一招商小分队") -> Any:
    ensure_standard_kinds()
    return org_services.unit_create(
        by=SYSTEM, name=name, kind=UnitKind.objects.get(code="team"), parent=county.county
    )
