"""招商活动与渠道: the contacts the county recruits through, the trips, visits and events that
produce leads, the cadence they are held to, and who brought each project in (引入单位, 引资人).

Everything belongs to a county (`county`): everyone in the county who reads the pipeline reads it
(the scope's `covering`); phone numbers are masked for those who do not keep the contact.
"""

from zhaoshang.outreach.models.activities import Event, EventProject, InvestorVisit, Trip
from zhaoshang.outreach.models.cadence import CadenceNorm, RecruitingTime
from zhaoshang.outreach.models.choices import (
    ACTIVITIES,
    CHAMBERS,
    CLAIM_STATUSES,
    CONTACT_KINDS,
    COUNTY_SCOPE,
    ENCOUNTER_KINDS,
    EVENT_KINDS,
    EVENT_ROLES,
    OPEN_CLAIMS,
    PERIODS,
    REGIONS,
)
from zhaoshang.outreach.models.contacts import Agreement, Contact, Encounter, OfficeLink
from zhaoshang.outreach.models.referrers import OutreachSettings, ProjectOrigin, ReferrerClaim

__all__ = [
    "ACTIVITIES",
    "Agreement",
    "CHAMBERS",
    "CLAIM_STATUSES",
    "CONTACT_KINDS",
    "COUNTY_SCOPE",
    "CadenceNorm",
    "Contact",
    "ENCOUNTER_KINDS",
    "EVENT_KINDS",
    "EVENT_ROLES",
    "Encounter",
    "Event",
    "EventProject",
    "InvestorVisit",
    "OPEN_CLAIMS",
    "OfficeLink",
    "OutreachSettings",
    "PERIODS",
    "ProjectOrigin",
    "REGIONS",
    "RecruitingTime",
    "ReferrerClaim",
    "Trip",
]
