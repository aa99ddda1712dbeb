"""Reads of the outreach app. Shared here: the records a page opens (scoped, 404 outside), and the
contact's phone as the reader may see it. By sub-domain: `contacts`, `activities`, `cadence`,
`register` (the referrers)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhaoshang.core import masking
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.outreach.models import Agreement, Contact, Event, InvestorVisit, ReferrerClaim, Trip


def contact_rows(principal: Principal) -> QuerySet[Contact]:
    rows: QuerySet[Contact] = Contact.objects.visible_to(principal)
    return rows.select_related("keeper_unit", "keeper_leader", "county")


def contact_for_page(principal: Principal, pk: int) -> Contact:
    return contact_rows(principal).get_visible_or_404(principal, pk=pk)  # type: ignore[attr-defined]


def sees_phone(principal: Principal, contact: Contact) -> bool:
    """A contact's phone in full only for the unit that keeps it (and those above), and coordinators."""
    if principal.can(Action.CONFIGURE_RULES):
        return True
    paths = principal.acting_for(Action.EDIT_BUSINESS).unit_paths
    return any(contact.keeper_unit.path.startswith(p) for p in paths)


def contact_phone(principal: Principal, contact: Contact) -> str:
    """The phone as this principal may read it: the page, the export and the API all call this."""
    return masking.phone_as_seen(contact.phone, in_full=sees_phone(principal, contact))


def trip_for_page(principal: Principal, pk: int) -> Trip:
    rows = Trip.objects.select_related("county", "unit", "leader")
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]


def visit_for_page(principal: Principal, pk: int) -> InvestorVisit:
    rows = InvestorVisit.objects.select_related("county", "unit", "leader", "contact", "project")
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]


def event_for_page(principal: Principal, pk: int) -> Event:
    rows = Event.objects.select_related("county", "unit")
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]


def agreement_for_page(principal: Principal, pk: int) -> Agreement:
    rows = Agreement.objects.select_related("county", "contact")
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]


def claim_for_page(principal: Principal, pk: int) -> ReferrerClaim:
    rows = ReferrerClaim.objects.select_related(
        "project", "project__town", "referrer", "claimant_unit", "decided_by"
    )
    return rows.get_visible_or_404(principal, pk=pk)  # type: ignore[return-value]
