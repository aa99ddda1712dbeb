"""Audited writes of the contacts (商会、协会、中介、乡友企业家 …), their encounters, the overseas
offices' links, and the commission agreements (委托招商协议)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import audit, checks
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.core.validators import validate_phone
from zhaoshang.org import references
from zhaoshang.org.models import Unit, User
from zhaoshang.outreach.models import (
    CONTACT_KINDS,
    REGIONS,
    Agreement,
    Contact,
    Encounter,
    OfficeLink,
)
from zhaoshang.outreach.services.common import county_of, require_coordinator, require_unit_writer
from zhaoshang.projects.models import Project

CONTACT_FIELDS = (
    "kind",
    "name",
    "organisation",
    "home_town",
    "based_in",
    "region",
    "industry",
    "phone",
    "keeper_unit",
    "keeper_leader",
    "note",
    "active",
)


def _clean_contact(by: Principal, values: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, str] = {}
    checks.text(values, "name", "名称或姓名", found, required=True)
    for name in ("organisation", "home_town", "based_in", "industry", "phone", "note"):
        checks.text(values, name, "", found, required=False)
    if "kind" in values and values["kind"] not in dict(CONTACT_KINDS):
        found["kind"] = "类别：请选择"
    if "region" in values and values["region"] not in dict(REGIONS):
        found["region"] = "所在区域：请选择"
    if values.get("phone"):
        try:
            validate_phone(values["phone"])
        except ValidationError as exc:
            found["phone"] = f"联系电话：{exc.messages[0]}"
    if "keeper_unit" in values and values["keeper_unit"] is None:
        found["keeper_unit"] = "联系单位：必须选择"
    if values.get("kind") == "hometown" and "home_town" in values and not values["home_town"]:
        found["home_town"] = "家乡（乡镇）：乡友企业家须写明家乡"
    if found:
        raise ValidationError(found)
    references.check_unit(by, values.get("keeper_unit"), field="keeper_unit", label="联系单位")
    references.check_leader(by, values.get("keeper_leader"), field="keeper_leader", label="联系县领导")
    return values


def contact_create(by: Principal, *, linked_units: Iterable[Unit] = (), **fields: Any) -> Contact:
    values = _clean_contact(by, {k: v for k, v in fields.items() if k in CONTACT_FIELDS})
    unit = values["keeper_unit"]
    require_unit_writer(by, unit)
    linked = list(linked_units)
    references.check_units(by, linked, field="linked_units", label="挂钩联系单位")
    with transaction.atomic():
        contact = audited_create(Contact(county=county_of(unit), **values))
        if linked:
            contact.linked_units.set(linked)
    return contact


def contact_update(
    by: Principal, contact: Contact, changes: dict[str, Any], *, reason: str = ""
) -> list[str]:
    require_unit_writer(by, contact.keeper_unit)
    linked = changes.pop("linked_units", None)
    values = _clean_contact(by, {k: v for k, v in changes.items() if k in CONTACT_FIELDS})
    with transaction.atomic():
        changed = audited_update(contact, values, reason=reason.strip())
        if linked is not None:
            linked = list(linked)
            references.check_units(by, linked, field="linked_units", label="挂钩联系单位")
            before = sorted(u.name for u in contact.linked_units.all())
            contact.linked_units.set(linked)
            after = sorted(u.name for u in linked)
            if before != after:
                audit.record(
                    AuditEvent.Action.UPDATE,
                    contact,
                    before={"挂钩联系单位": before},
                    after={"挂钩联系单位": after},
                    reason="挂钩联系单位调整",
                )
                changed.append("linked_units")
    return changed


def encounter_add(
    by: Principal, contact: Contact, *, on: dt.date | None, kind: str, unit: Unit | None, summary: str
) -> Encounter:
    """A meeting, call or call-on with the contact, by a unit that writes its own outreach."""
    found: dict[str, str] = {}
    values = {"summary": summary}
    checks.text(values, "summary", "情况", found, required=True)
    if on is None:
        found["on"] = "日期：必须填写"
    checks.not_future(on, timezone.localdate(), "on", "日期", found)
    if unit is None:
        found["unit"] = "单位：必须选择"
    if found:
        raise ValidationError(found)
    assert unit is not None and on is not None
    require_unit_writer(by, unit)
    if by.user_id is None:
        raise PermissionDenied("联络记录须以个人账号登记。")
    return audited_create(
        Encounter(contact=contact, on=on, kind=kind, unit=unit, by_id=by.user_id, summary=values["summary"])
    )


def office_link_set(by: Principal, office: Unit, *, body: Unit, leader: User, region: str) -> OfficeLink:
    """A 驻外招商分局 answers to one of the four leadership bodies and a county leader."""
    county = county_of(office)
    require_coordinator(by, county)
    found: dict[str, str] = {}
    if office.kind.code != "office":
        found["office"] = "驻外招商分局：所选单位不是驻外招商分局"
    if body is None or body.kind.code != "leadership" or not body.path.startswith(county.path):
        found["body"] = "牵头领导机关：只能是本县的县委、县政府、县人大或县政协"
    if region not in dict(REGIONS):
        found["region"] = "负责区域：请选择"
    if found:
        raise ValidationError(found)
    references.check_leader(by, leader, field="leader", label="联系县领导")
    link = OfficeLink.objects.filter(office=office).first()
    if link is None:
        return audited_create(OfficeLink(office=office, body=body, leader=leader, region=region))
    audited_update(link, {"body": body, "leader": leader, "region": region}, reason="调整挂钩")
    return link


AGREEMENT_FIELDS = ("contact", "title", "signed_on", "starts_on", "ends_on", "scope_text", "reward_terms")


def _clean_agreement(values: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, str] = {}
    checks.text(values, "title", "协议名称", found, required=True)
    checks.text(values, "scope_text", "委托范围", found, required=True)
    checks.text(values, "reward_terms", "奖励条款", found, required=True)
    for name, label in (("signed_on", "签订日期"), ("starts_on", "开始日期"), ("ends_on", "截止日期")):
        if name in values and values[name] is None:
            found[name] = f"{label}：必须填写"
    checks.in_order(
        values.get("starts_on"), values.get("ends_on"), "ends_on", ("开始日期", "截止日期"), found
    )
    checks.not_future(values.get("signed_on"), timezone.localdate(), "signed_on", "签订日期", found)
    contact = values.get("contact")
    if "contact" in values and (contact is None or contact.kind not in ("chamber", "association", "agent")):
        found["contact"] = "受托方：只能是商会、行业协会或中介机构"
    if found:
        raise ValidationError(found)
    return values


def agreement_create(by: Principal, county: Unit, **fields: Any) -> Agreement:
    require_coordinator(by, county)
    values = _clean_agreement({k: fields.get(k) for k in AGREEMENT_FIELDS})
    if values["contact"].county_id != county.pk:
        raise ValidationError({"contact": "受托方：只能是本县登记的联络对象"})
    return audited_create(Agreement(county=county, **values))


def agreement_update(
    by: Principal, agreement: Agreement, changes: dict[str, Any], *, reason: str = ""
) -> list[str]:
    require_coordinator(by, agreement.county)
    merged = {k: getattr(agreement, k) for k in AGREEMENT_FIELDS} | {
        k: v for k, v in changes.items() if k in AGREEMENT_FIELDS
    }
    values = _clean_agreement(merged)
    return audited_update(agreement, {k: values[k] for k in changes if k in AGREEMENT_FIELDS}, reason=reason)


def agreement_add_projects(by: Principal, agreement: Agreement, projects: Iterable[Project]) -> int:
    """Projects brought in under the agreement (one the reader sees, of the agreement's county)."""
    require_coordinator(by, agreement.county)
    chosen = list(projects)
    outside = [p.name for p in chosen if not p.town.path.startswith(agreement.county.path)]
    if outside:
        raise ValidationError({"projects": f"项目：{outside[0]} 不是本县项目"})
    before = set(agreement.projects.values_list("pk", flat=True))
    new = [p for p in chosen if p.pk not in before]
    with transaction.atomic():
        agreement.projects.add(*new)
        for p in new:
            audit.record(
                AuditEvent.Action.UPDATE, agreement, after={"引进的项目": p.name}, reason="协议引进项目"
            )
    return len(new)
