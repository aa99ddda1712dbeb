"""Where apps above the projects app add to a project, without projects importing them: to what its
pre-review reads (the chains app registers its entry thresholds, in its `ready`) and to its page
(the outreach app registers the panel of who brought it in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhaoshang.core.scoping import Principal
    from zhaoshang.projects.engines.prereview import ExtraRule
    from zhaoshang.projects.models import Project

ReviewRulesSource = Callable[["Project"], "list[ExtraRule]"]
_REVIEW_RULES: list[ReviewRulesSource] = []


def register_review_rules(source: ReviewRulesSource) -> None:
    if source not in _REVIEW_RULES:
        _REVIEW_RULES.append(source)


def extra_review_rules(project: Project) -> tuple[ExtraRule, ...]:
    """Every registered source's thresholds for this project (a chain's, when it is placed on one)."""
    return tuple(rule for source in _REVIEW_RULES for rule in source(project))


# What apps above add to a project's page: each panel renders itself (HTML) for the reader, or
# answers None. The outreach app shows the unit that introduced the project and its referrer.
DetailPanel = Callable[["Principal", "Project"], "str | None"]
_PANELS: list[DetailPanel] = []


def register_detail_panel(panel: DetailPanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def detail_panels(principal: Principal, project: Project) -> list[str]:
    return [html for panel in _PANELS if (html := panel(principal, project))]
