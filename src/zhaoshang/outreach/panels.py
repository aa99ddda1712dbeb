"""The outreach app's panel on a project's page: the unit that introduced it, the trip, visit or
event it came from, and its recognised referrer (registered in `OutreachConfig.ready`)."""

from __future__ import annotations

from django.template.loader import render_to_string

from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.outreach.models import OPEN_CLAIMS, ReferrerClaim
from zhaoshang.outreach.selectors import register as reads
from zhaoshang.projects.models import Project


def project_panel(principal: Principal, project: Project) -> str | None:
    if not principal.can(Action.VIEW_PIPELINE):
        return None
    claims = list(
        ReferrerClaim.objects.filter(project=project, status__in=(*OPEN_CLAIMS, "recognised")).select_related(
            "referrer"
        )
    )
    context = {
        "p": project,
        "origin": reads.origin_of(project),
        "recognised": next((c for c in claims if c.status == "recognised"), None),
        "open_claims": sum(c.status in OPEN_CLAIMS for c in claims),
    }
    return render_to_string("outreach/referrers/_project_panel.html", context)
