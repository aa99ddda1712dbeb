"""Every page that shows a recorded decision names who made it (a person, or 系统 for the system)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from zhaoshang.evaluation.models import Evaluation
from zhaoshang.projects.models import Review


def test_every_recorded_decision_names_its_person(demo_county: Any) -> None:
    client = Client()
    client.force_login(demo_county.user("coordinator"))
    decided = list(Review.objects.exclude(decision="").select_related("decided_by").order_by("pk"))
    assert decided
    projects = {r.project_id: r for r in decided}
    for project_id, review in list(projects.items())[:15]:
        page = client.get(f"/projects/{project_id}/").content.decode()
        who = str(review.decided_by) if review.decided_by else "系统"
        assert f"（{review.decided_on:%Y-%m-%d}，{who}）" in page, project_id
        assert "，）" not in page
    runs = list(Evaluation.objects.filter(status="published").order_by("pk")[:5])
    assert runs
    for run in runs:
        page = client.get(f"/evaluation/runs/{run.pk}/").content.decode()
        named = re.search(r"由 (\S+) 发布", page)
        assert named and named.group(1) not in ("None", ""), run.pk
