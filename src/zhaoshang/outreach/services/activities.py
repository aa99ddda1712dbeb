"""Audited writes of the trips (外出招商), investor visits (来访考察) and events (推介会、签约仪式 …),
and the leads they bring: a project created from a trip, a visit or an event carries it as its origin."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import audit, checks
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.org import references
from zhaoshang.org.models import Unit, User
from zhaoshang.outreach.models import (
    EVENT_KINDS,
    EVENT_ROLES,
    REGIONS,
    Contact,
    Event,
    EventProject,
    InvestorVisit,
    ProjectOrigin,
    Trip,
)
from zhaoshang.outreach.services.common import county_of, require_unit_writer
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project

TRIP_FIELDS = (
    "unit",
    "leader",
    "starts_on",
    "ends_on",
    "region",
    "destination",
    "purpose",
    "companies_met",
    "cost",
    "summary",
)
# A trip longer than this is a typing mistake, not a trip.
LONGEST_TRIP_DAYS = 60
MOST_COST = Decimal(1000)  # 万元


def _contacts_of_county(
    contacts: Iterable[Contact], county: Unit, found: dict[str, str], field: str
) -> list[Contact]:
    chosen = list(contacts)
    if any(c.county_id != county.pk for c in chosen):
        found[field] = "联络对象：只能选择本县登记的联络对象"
    return chosen


def _clean_trip(by: Principal, values: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, str] = {}
    today = timezone.localdate()
    checks.text(values, "destination", "目的地", found, required=True)
    checks.text(values, "purpose", "主要任务", found, required=True)
    for name in ("companies_met", "summary"):
        checks.text(values, name, "", found, required=False)
    for name, label in (("starts_on", "出发日期"), ("ends_on", "返回日期")):
        if name in values and values[name] is None:
            found[name] = f"{label}：必须填写"
    start, end = values.get("starts_on"), values.get("ends_on")
    checks.in_order(start, end, "ends_on", ("出发日期", "返回日期"), found)
    if start and end and (end - start).days > LONGEST_TRIP_DAYS:
        found["ends_on"] = f"返回日期：一次外出不超过 {LONGEST_TRIP_DAYS} 天，请检查"
    if start and (start - today).days > 180:
        found["starts_on"] = "出发日期：只能登记半年以内的计划"
    if "region" in values and values["region"] not in dict(REGIONS):
        found["region"] = "目的区域：请选择"
    cost = values.get("cost")
    if cost is not None and not Decimal(0) <= cost <= MOST_COST:
        found["cost"] = f"费用（万元）：应在 0 至 {MOST_COST} 万元之间，请检查单位"
    if "unit" in values and values["unit"] is None:
        found["unit"] = "组织单位：必须选择"
    if found:
        raise ValidationError(found)
    references.check_unit(by, values.get("unit"), field="unit", label="组织单位")
    references.check_leader(by, values.get("leader"), field="leader", label="带队领导")
    return values


def trip_create(
    by: Principal, *, members: Iterable[User] = (), contacts: Iterable[Contact] = (), **fields: Any
) -> Trip:
    values = _clean_trip(by, {k: fields.get(k) for k in TRIP_FIELDS})
    unit = values["unit"]
    require_unit_writer(by, unit)
    county = county_of(unit)
    found: dict[str, str] = {}
    met = _contacts_of_county(contacts, county, found, "contacts")
    if found:
        raise ValidationError(found)
    people = list(members)
    references.check_people(by, people, field="members", label="成员")
    with transaction.atomic():
        trip = audited_create(Trip(county=county, **values))
        trip.members.set(people)
        trip.contacts.set(met)
    return trip


def trip_update(
    by: Principal,
    trip: Trip,
    changes: dict[str, Any],
    *,
    members: Iterable[User] | None = None,
    contacts: Iterable[Contact] | None = None,
    reason: str = "",
) -> list[str]:
    require_unit_writer(by, trip.unit)
    merged = {k: getattr(trip, k) for k in TRIP_FIELDS} | {
        k: v for k, v in changes.items() if k in TRIP_FIELDS
    }
    values = _clean_trip(by, merged)
    found: dict[str, str] = {}
    met = _contacts_of_county(contacts, trip.county, found, "contacts") if contacts is not None else None
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        changed = audited_update(trip, {k: values[k] for k in changes if k in TRIP_FIELDS}, reason=reason)
        for name, items in (("members", members), ("contacts", met)):
            if items is None:
                continue
            manager = getattr(trip, name)
            before, after = sorted(str(x) for x in manager.all()), sorted(str(x) for x in items)
            if before != after:
                manager.set(list(items))
                label = str(Trip._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
                audit.record(AuditEvent.Action.UPDATE, trip, before={label: before}, after={label: after})
                changed.append(name)
    return changed


VISIT_FIELDS = ("unit", "on", "company", "visitors", "sites", "leader", "contact", "outcome", "project")


def _clean_visit(by: Principal, values: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, str] = {}
    checks.text(values, "company", "来访企业", found, required=True)
    checks.text(values, "visitors", "来访人员", found, required=True)
    for name in ("sites", "outcome"):
        checks.text(values, name, "", found, required=False)
    if values.get("on") is None:
        found["on"] = "来访日期：必须填写"
    checks.not_future(values.get("on"), timezone.localdate(), "on", "来访日期", found)
    if values.get("unit") is None:
        found["unit"] = "接待单位：必须选择"
    if found:
        raise ValidationError(found)
    references.check_unit(by, values["unit"], field="unit", label="接待单位")
    references.check_leader(by, values.get("leader"), field="leader", label="陪同县领导")
    county = county_of(values["unit"])
    contact, project = values.get("contact"), values.get("project")
    if contact is not None and contact.county_id != county.pk:
        raise ValidationError({"contact": "引荐的联络对象：只能选择本县登记的联络对象"})
    if project is not None and not Project.objects.visible_to(by).filter(pk=project.pk).exists():
        raise ValidationError({"project": "所属项目：不在您的查看范围内"})
    return values


def visit_create(by: Principal, *, hosts: Iterable[User] = (), **fields: Any) -> InvestorVisit:
    values = _clean_visit(by, {k: fields.get(k) for k in VISIT_FIELDS})
    require_unit_writer(by, values["unit"])
    people = list(hosts)
    references.check_people(by, people, field="hosts", label="接待人员")
    with transaction.atomic():
        visit = audited_create(InvestorVisit(county=county_of(values["unit"]), **values))
        visit.hosts.set(people)
    return visit


def visit_update(
    by: Principal, visit: InvestorVisit, changes: dict[str, Any], *, reason: str = ""
) -> list[str]:
    require_unit_writer(by, visit.unit)
    merged = {k: getattr(visit, k) for k in VISIT_FIELDS} | {
        k: v for k, v in changes.items() if k in VISIT_FIELDS
    }
    values = _clean_visit(by, merged)
    return audited_update(visit, {k: values[k] for k in changes if k in VISIT_FIELDS}, reason=reason)


EVENT_FIELDS = ("unit", "kind", "name", "on", "place", "note")


def event_create(by: Principal, **fields: Any) -> Event:
    values = {k: fields.get(k) for k in EVENT_FIELDS}
    found: dict[str, str] = {}
    checks.text(values, "name", "活动名称", found, required=True)
    checks.text(values, "place", "地点", found, required=True)
    checks.text(values, "note", "", found, required=False)
    if values["kind"] not in dict(EVENT_KINDS):
        found["kind"] = "活动类型：请选择"
    if values["on"] is None:
        found["on"] = "日期：必须填写"
    if values["unit"] is None:
        found["unit"] = "主办单位：必须选择"
    if found:
        raise ValidationError(found)
    unit: Unit = values["unit"]  # type: ignore[assignment]  # checked above
    references.check_unit(by, unit, field="unit", label="主办单位")
    require_unit_writer(by, unit)
    return audited_create(Event(county=county_of(unit), **values))


def event_add_project(
    by: Principal, event: Event, project: Project, role: str, amount: Decimal | None = None
) -> EventProject:
    """A project signed, started or completed at the event; followed from the event page "一项一项"."""
    require_unit_writer(by, event.unit)
    found: dict[str, str] = {}
    if role not in dict(EVENT_ROLES):
        found["role"] = "在活动上：只能是签约、开工或竣工"
    if not project.town.path.startswith(event.county.path):
        found["project"] = "项目：只能是本县项目"
    if amount is not None and amount < 0:
        found["amount"] = "签约金额（万元）：不能为负数"
    if project.contract_amount is not None and amount is not None and amount > project.contract_amount:
        found["amount"] = f"签约金额（万元）：不能超过合同金额 {project.contract_amount.normalize():f} 万元"
    if EventProject.objects.filter(event=event, project=project, role=role).exists():
        found["project"] = "项目：已登记在本次活动上"
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        row = EventProject.objects.create(event=event, project=project, role=role, amount=amount)  # type: ignore[misc]
        audit.record(
            AuditEvent.Action.UPDATE,
            event,
            after={"项目": project.name, "在活动上": dict(EVENT_ROLES)[role]},
            reason="活动项目",
        )
    return row


# --- who brought a project in ------------------------------------------------------------------------

ORIGIN_FIELDS = ("introducing_unit", "trip", "visit", "event", "agreement")


def origin_set(by: Principal, project: Project, **fields: Any) -> ProjectOrigin:
    """The project's 引入单位 and the trip, visit, event or agreement it came from (those given)."""
    require_in_scope(by, project, Action.EDIT_BUSINESS)
    values = {k: v for k, v in fields.items() if k in ORIGIN_FIELDS}
    county_path = project.town.jurisdiction_path
    found: dict[str, str] = {}
    unit = values.get("introducing_unit")
    if unit is not None and not unit.path.startswith(county_path):
        found["introducing_unit"] = "引入单位：只能是本县单位"
    for name, label in (
        ("trip", "外出招商"),
        ("visit", "来访考察"),
        ("event", "招商活动"),
        ("agreement", "委托招商协议"),
    ):
        record = values.get(name)
        if record is not None and not record.county.path.startswith(county_path):
            found[name] = f"{label}：只能是本县的记录"
    if found:
        raise ValidationError(found)
    origin = ProjectOrigin.objects.filter(project=project).first()
    if origin is None:
        return audited_create(ProjectOrigin(project=project, **values))
    audited_update(origin, values, reason="项目来源")
    return origin


def lead_from(by: Principal, *, source: Trip | InvestorVisit | Event, **project_fields: Any) -> Project:
    """A project lead created from a trip, a visit or an event, carrying it as its origin and the
    source's unit as the unit that introduced it."""
    key = {Trip: "trip", InvestorVisit: "visit", Event: "event"}[type(source)]
    channel = project_fields.pop("channel", None) or ("expo" if key == "event" else "team")
    with transaction.atomic():
        project = project_services.project_create(by, channel=channel, **project_fields)
        audited_create(ProjectOrigin(project=project, introducing_unit=source.unit, **{key: source}))
    return project


def visit_hosts_set(by: Principal, visit: InvestorVisit, hosts: Iterable[User]) -> bool:
    """Who received the visitors, changed from the visit's edit form; True when it changed."""
    require_unit_writer(by, visit.unit)
    people, current = list(hosts), list(visit.hosts.all())
    if {u.pk for u in people} == {u.pk for u in current}:
        return False
    # Those already named stay nameable; only the people added are checked.
    added = [u for u in people if u.pk not in {c.pk for c in current}]
    references.check_people(by, added, field="hosts", label="接待人员")
    before, after = sorted(str(u) for u in current), sorted(str(u) for u in people)
    with transaction.atomic():
        visit.hosts.set(people)
        audit.record(AuditEvent.Action.UPDATE, visit, before={"接待人员": before}, after={"接待人员": after})
    return True


def visit_lead(by: Principal, visit: InvestorVisit, **project_fields: Any) -> Project:
    """A project lead created from a visit that has none yet; the visit then belongs to it."""
    require_unit_writer(by, visit.unit)
    if visit.project_id is not None:
        raise ValidationError({"project": "所属项目：本次来访已有所属项目，不再另建线索"})
    with transaction.atomic():
        project = lead_from(by, source=visit, **project_fields)
        visit_update(by, visit, {"project": project}, reason="从来访创建项目线索")
    return project


def trip_lead(by: Principal, trip: Trip, **project_fields: Any) -> Project:
    """A project lead created from a trip by those who write the trip's unit's records."""
    require_unit_writer(by, trip.unit)
    return lead_from(by, source=trip, **project_fields)
