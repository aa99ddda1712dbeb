"""The enterprise registry and the yearly figures as spreadsheets: template, import, export.

Rooms: `columns` (the two sheets, the unit choices, the audit events), `registry`, `years`.
"""

from zhaoshang.core import imports
from zhaoshang.enterprises.sheets.columns import (
    REGISTRY_SHEET,
    SCALE_CHOICES,
    STATUS_CHOICES,
    STATUS_LABELS,
    YEAR_COLUMNS,
    YEAR_SHEET,
    _unit_labels,
)
from zhaoshang.enterprises.sheets.registry import EnterpriseImporter
from zhaoshang.enterprises.sheets.years import EnterpriseYearImporter

__all__ = [
    "REGISTRY_SHEET",
    "SCALE_CHOICES",
    "STATUS_CHOICES",
    "STATUS_LABELS",
    "YEAR_COLUMNS",
    "YEAR_SHEET",
    "EnterpriseImporter",
    "EnterpriseYearImporter",
    "_unit_labels",
]

imports.register(EnterpriseImporter())
imports.register(EnterpriseYearImporter())
