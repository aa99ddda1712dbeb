"""The outreach app as spreadsheets: template, import, export of the contacts, trips, visits and events.

Rooms: `common` (the plan and apply the four share; naming units, people, leaders and contacts in a
cell), `contacts`, `trips`, `visits`, `events`. Registered from `OutreachConfig.ready`.
"""

from zhaoshang.core import imports
from zhaoshang.outreach.sheets.contacts import CONTACT_SHEET, ContactImporter
from zhaoshang.outreach.sheets.events import EVENT_SHEET, EventImporter
from zhaoshang.outreach.sheets.trips import TRIP_SHEET, TripImporter
from zhaoshang.outreach.sheets.visits import VISIT_SHEET, VisitImporter

imports.register(ContactImporter())
imports.register(TripImporter())
imports.register(VisitImporter())
imports.register(EventImporter())

__all__ = [
    "CONTACT_SHEET",
    "EVENT_SHEET",
    "TRIP_SHEET",
    "VISIT_SHEET",
    "ContactImporter",
    "EventImporter",
    "TripImporter",
    "VisitImporter",
]
