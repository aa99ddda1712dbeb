"""The exceptions of the pure engines: one place, so callers catch one type whatever engine refused."""

from __future__ import annotations


class RulesError(ValueError):
    """Content that cannot be used; `problems` names each place in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems
