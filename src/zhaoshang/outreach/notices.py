"""The notices the outreach app sends: a referrer claim to the recognising unit, its decision to the
unit that filed it."""

from __future__ import annotations

from django.urls import reverse

from zhaoshang.core.notice_kinds import register_kind
from zhaoshang.core.notifications import notify
from zhaoshang.org.models import Unit
from zhaoshang.org.selectors import members_of
from zhaoshang.outreach.models import ReferrerClaim
from zhaoshang.projects.notices import STAFF_ROLES

CLAIM_FILED = register_kind(
    "referrer_claim_filed", "引资人申报待认定", why="有项目申报引资人、需要本单位核实认定时告知。"
).code
CLAIM_DECIDED = register_kind(
    "referrer_claim_decided", "引资人认定结果", why="本单位申报的引资人被核实、认定或不予认定时告知。"
).code


def _staff(unit: Unit) -> list[int]:
    return sorted({user_id for _unit, user_id in members_of([unit.pk], STAFF_ROLES)})


def claim_filed(claim: ReferrerClaim, recognising: Unit | None) -> None:
    if recognising is None:
        return
    notify(
        _staff(recognising),
        kind=CLAIM_FILED,
        title=f"引资人申报待认定：{claim.project.name}",
        body=f"{claim.claimant_unit.name}申报{claim.referrer.name}为引资人。",
        link=reverse("outreach-claim", args=[claim.pk]),
        dedupe_key=f"referrer-claim:{claim.pk}:filed",
    )


def claim_decided(claim: ReferrerClaim) -> None:
    notify(
        _staff(claim.claimant_unit),
        kind=CLAIM_DECIDED,
        title=f"引资人申报{claim.get_status_display()}：{claim.project.name}",
        body=f"引资人：{claim.referrer.name}。{claim.reason}",
        link=reverse("outreach-claim", args=[claim.pk]),
        dedupe_key=f"referrer-claim:{claim.pk}:{claim.status}",
    )
