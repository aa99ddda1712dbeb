"""Audited writes of the outreach app, by sub-domain: contacts, encounters, office links and
agreements (`contacts`); trips, visits, events and the leads they bring (`activities`); referrer
claims (`referrers`); the cadence norms and the self-reported recruiting time (`cadence`).

Callers import from here (`from zhaoshang.outreach import services`).
"""

from zhaoshang.outreach.services.activities import (
    event_add_project,
    event_create,
    lead_from,
    origin_set,
    trip_create,
    trip_lead,
    trip_update,
    visit_create,
    visit_hosts_set,
    visit_lead,
    visit_update,
)
from zhaoshang.outreach.services.cadence import (
    norms_save,
    subjects,
    time_file,
)
from zhaoshang.outreach.services.common import (
    county_of,
    may_write_for,
    require_coordinator,
    require_unit_writer,
)
from zhaoshang.outreach.services.contacts import (
    agreement_add_projects,
    agreement_create,
    agreement_update,
    contact_create,
    contact_update,
    encounter_add,
    office_link_set,
)
from zhaoshang.outreach.services.referrers import (
    claim_file,
    claim_recognise,
    claim_refuse,
    claim_verify,
    competing,
    match_free_text,
    may_recognise,
    recognised_referrer,
    recognising_unit,
    settings_save,
)

__all__ = [
    "agreement_add_projects",
    "agreement_create",
    "agreement_update",
    "claim_file",
    "claim_recognise",
    "claim_refuse",
    "claim_verify",
    "competing",
    "contact_create",
    "contact_update",
    "county_of",
    "encounter_add",
    "event_add_project",
    "event_create",
    "lead_from",
    "match_free_text",
    "may_recognise",
    "may_write_for",
    "norms_save",
    "office_link_set",
    "origin_set",
    "recognised_referrer",
    "recognising_unit",
    "require_coordinator",
    "require_unit_writer",
    "settings_save",
    "subjects",
    "time_file",
    "trip_create",
    "trip_lead",
    "trip_update",
    "visit_create",
    "visit_hosts_set",
    "visit_lead",
    "visit_update",
]
