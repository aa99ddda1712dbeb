"""Reads of the contacts side: the pickers of the contacts list, a contact's history (encounters, the
trips that met it, the visits it brought, its agreements and the projects it is the referrer of), an
agreement's projects and the project picker, and the links speech 000 prescribes (each 招商小分队 and
town with a chamber or association, each 驻外招商分局 with its leadership body and county leader).

Every read starts from what the reader may see; the links page reads in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from zhaoshang.core import audit, masking
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.scoping import Principal
from zhaoshang.org.models import Unit, User
from zhaoshang.outreach.models import (
    CHAMBERS,
    Agreement,
    Contact,
    Encounter,
    InvestorVisit,
    OfficeLink,
    ReferrerClaim,
    Trip,
)
from zhaoshang.outreach.selectors import contact_phone, contact_rows, sees_phone
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Project

# The kinds of party a commission agreement is made with (the service refuses any other).
AGREEMENT_PARTIES = ("chamber", "association", "agent")
# Each kind of record on a contact's page shows at most this many, newest first.
HISTORY_LIMIT = 200


class PhoneAsSeen(dict[Any, str]):
    """`{{ phones|get_item:contact }}`: a list row's phone as the reader may see it (`contact_phone`),
    so the page shows exactly what the export writes."""

    def __init__(self, principal: Principal) -> None:
        super().__init__()
        self.principal = principal

    def get(self, key: Any, default: Any = None) -> str:
        return contact_phone(self.principal, key)


# --- the contacts list ------------------------------------------------------------------------------


def keeper_units(principal: Principal) -> QuerySet[Unit]:
    """The units that keep a contact the reader sees: the choices of the list's unit filter."""
    kept = Contact.objects.visible_to(principal).values("keeper_unit_id")
    return Unit.objects.filter(pk__in=kept).order_by("path")


def keeper_leaders(principal: Principal) -> QuerySet[User]:
    kept = (
        Contact.objects.visible_to(principal).filter(keeper_leader__isnull=False).values("keeper_leader_id")
    )
    return User.objects.filter(pk__in=kept).order_by("display_name", "pk")


def listed_contacts(principal: Principal) -> QuerySet[Contact]:
    return contact_rows(principal).prefetch_related("linked_units")


# --- a contact's page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of a contact's history."""

    on: dt.date
    kind: str
    title: str
    detail: str = ""
    url: str = ""


def _url(name: str, pk: int | None) -> str:
    """The page of a record, when its app has one (the activities pages come with their own app)."""
    if pk is None:
        return ""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def contact_record_history(principal: Principal, contact: Contact) -> list[AuditEvent]:
    """The contact's record history for its page, the phone in it as the reader may see it (the events
    are read, never saved: the audit log itself keeps what was written)."""
    events = list(audit.history(contact))
    if sees_phone(principal, contact):
        return events
    for e in events:
        for side in (e.before, e.after):
            if isinstance(side, dict) and side.get("phone"):
                side["phone"] = masking.mask_phone(str(side["phone"]))
    return events


def referrer_claims(principal: Principal, contact: Contact) -> list[ReferrerClaim]:
    """The projects the contact is claimed or recognised as the referrer of, newest claim first."""
    rows = ReferrerClaim.objects.visible_to(principal).filter(referrer=contact)
    rows = rows.select_related("project", "claimant_unit").order_by("-claimed_on", "-pk")
    return list(rows[:HISTORY_LIMIT])


def contact_history(principal: Principal, contact: Contact, claims: list[ReferrerClaim]) -> list[Entry]:
    """Encounters, trips, visits, agreements and referrer claims, newest first (five queries)."""
    encounters = Encounter.objects.visible_to(principal).filter(contact=contact).select_related("unit", "by")
    entries = [
        Entry(e.on, f"联络记录·{e.get_kind_display()}", f"{e.unit.name}（{e.by}）", e.summary)
        for e in encounters.order_by("-on", "-pk")[:HISTORY_LIMIT]
    ]
    trips = Trip.objects.visible_to(principal).filter(contacts=contact).select_related("unit", "leader")
    for t in trips.order_by("-starts_on", "-pk")[:HISTORY_LIMIT]:
        led = f"，{t.leader}带队" if t.leader else ""
        title = f"{t.unit.name}赴{t.destination}（{t.get_region_display()}）{led}"
        entries.append(Entry(t.starts_on, "外出招商", title, t.purpose, _url("outreach-trip", t.pk)))
    visits = InvestorVisit.objects.visible_to(principal).filter(contact=contact)
    for v in visits.select_related("unit", "project").order_by("-on", "-pk")[:HISTORY_LIMIT]:
        came = f"{v.company}（{v.visitors}）来访，{v.unit.name}接待"
        detail = v.outcome + (f"；所属项目：{v.project.name}" if v.project else "")
        entries.append(Entry(v.on, "来访考察", came, detail, _url("outreach-visit", v.pk)))
    for a in Agreement.objects.visible_to(principal).filter(contact=contact).order_by("-signed_on", "-pk"):
        term = f"{a.starts_on:%Y-%m-%d} 至 {a.ends_on:%Y-%m-%d}"
        entries.append(
            Entry(a.signed_on, "委托招商协议", a.title, term, reverse("outreach-agreement", args=[a.pk]))
        )
    for c in claims:
        title = f"{c.project.name}（{c.get_status_display()}）"
        entries.append(
            Entry(
                c.claimed_on,
                "引资人申报",
                title,
                f"申报单位：{c.claimant_unit.name}",
                reverse("project-detail", args=[c.project_id]),
            )
        )
    return sorted(entries, key=lambda e: e.on, reverse=True)


# --- agreements -----------------------------------------------------------------------------------------


def agreements(principal: Principal) -> QuerySet[Agreement]:
    rows: QuerySet[Agreement] = Agreement.objects.visible_to(principal)
    return rows.select_related("contact").annotate(project_count=Count("projects"))


def agreement_parties(principal: Principal, county: Unit) -> QuerySet[Contact]:
    """The chambers, associations and agents of the county an agreement may be made with."""
    rows = Contact.objects.visible_to(principal).filter(
        county=county, kind__in=AGREEMENT_PARTIES, active=True
    )
    return rows.order_by("name", "pk")


@dataclass
class AgreementProjects:
    shown: list[Project]
    hidden: int  # brought under the agreement but outside what the reader sees

    @property
    def funds(self) -> Any:
        return sum((p.funds_in_place for p in self.shown), start=0)


def agreement_projects(principal: Principal, agreement: Agreement) -> AgreementProjects:
    under = agreement.projects.all()
    shown = Project.objects.visible_to(principal).filter(pk__in=under.values("pk")).order_by("name", "pk")
    listed = list(shown)
    return AgreementProjects(listed, under.count() - len(listed))


def project_choices(principal: Principal, agreement: Agreement) -> QuerySet[Project]:
    """Projects one may bring under the agreement: seen by the reader, of its county, not dropped, not
    already under it (their towns read along, for the service's county check)."""
    rows = Project.objects.visible_to(principal).filter(town__path__startswith=agreement.county.path)
    rows = rows.exclude(stage=Stage.DROPPED.value).exclude(pk__in=agreement.projects.values("pk"))
    return rows.select_related("town").order_by("name", "pk")


# --- the links speech 000 prescribes --------------------------------------------------------------------


def county_units(principal: Principal, kinds: tuple[str, ...]) -> QuerySet[Unit]:
    """Active units of these kinds in the reader's county (its own jurisdictions, and those inside)."""
    units = Unit.objects.filter(kind__code__in=kinds, is_active=True)
    if principal.sees_everything:
        return units
    own = Unit.objects.filter(path__in=principal.unit_paths).values("jurisdiction_path")
    inside = Q(pk__in=[])
    for prefix in principal.unit_paths:
        inside |= Q(path__startswith=prefix)
    return units.filter(Q(jurisdiction_path__in=own) | inside)


@dataclass
class UnitLinks:
    """A 招商小分队 or town with the chambers and associations it keeps or is linked to."""

    unit: Unit
    chambers: list[Contact] = field(default_factory=list)

    @property
    def linked(self) -> bool:
        return bool(self.chambers)


def unit_links(principal: Principal) -> list[UnitLinks]:
    """Every team and town of the reader's county, those without a chamber or association first
    (three queries, whatever the number of units and contacts)."""
    units = county_units(principal, ("team", "town")).select_related("kind")
    rows = {u.pk: UnitLinks(u) for u in units.order_by("path")}
    chambers = Contact.objects.visible_to(principal).filter(kind__in=CHAMBERS, active=True)
    found: dict[int, dict[int, Contact]] = defaultdict(dict)
    for c in chambers.filter(keeper_unit__in=units.values("pk")).order_by("name", "pk"):
        found[c.keeper_unit_id][c.pk] = c
    through = Contact.linked_units.through.objects.filter(
        unit_id__in=units.values("pk"), contact__in=chambers.values("pk")
    )
    for link in through.select_related("contact").order_by("contact__name", "contact_id"):
        found[link.unit_id].setdefault(link.contact_id, link.contact)
    for pk, kept in found.items():
        if pk in rows:
            rows[pk].chambers = sorted(kept.values(), key=lambda c: (c.name, c.pk))
    return sorted(rows.values(), key=lambda r: (r.linked, r.unit.path))


@dataclass
class OfficeRow:
    office: Unit
    link: OfficeLink | None


def office_links(principal: Principal) -> list[OfficeRow]:
    """Each 驻外招商分局 of the reader's county with its leadership body and county leader (one query)."""
    offices = county_units(principal, ("office",)).select_related(
        "office_link", "office_link__body", "office_link__leader"
    )
    return [OfficeRow(o, getattr(o, "office_link", None)) for o in offices.order_by("path")]


def leadership_bodies(county: Unit) -> QuerySet[Unit]:
    """县委, 县政府, 县人大, 县政协: the county's units of the kind "leadership"."""
    rows = Unit.objects.filter(kind__code="leadership", path__startswith=county.path, is_active=True)
    return rows.order_by("sort_order", "path")
