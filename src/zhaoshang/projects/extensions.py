"""Where apps above the projects app add to what a project's pre-review reads, without projects
importing them: the chains app registers its entry thresholds here (in its `ready`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
