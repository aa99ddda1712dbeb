"""Projects and their follow-ups as spreadsheets: template, import, export.

An import registers new projects as leads and corrects the descriptive fields of existing ones; it
never moves a stage (stages move only through the state machine, with their evidence) nor touches
what a move recorded (the signed contract amount, the dates of start and production).
"""

from __future__ import annotations

from zhaoshang.core import imports
from zhaoshang.projects.sheets.follow_ups import FOLLOW_UP_SHEET, FollowUpImporter
from zhaoshang.projects.sheets.projects import PROJECT_SHEET, ProjectImporter

imports.register(ProjectImporter())
imports.register(FollowUpImporter())

__all__ = ["FOLLOW_UP_SHEET", "PROJECT_SHEET", "FollowUpImporter", "ProjectImporter"]
