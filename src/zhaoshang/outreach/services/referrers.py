"""引资人认定: claims that a contact brought a project in, verified and recognised by the county's
recognising unit (发改局), or refused with a reason; and the free-text referrers of older projects
matched to registered contacts.

Rules: a claim is filed before the project signs, with evidence; the investor is never its own
referrer; a claim is recognised only when no other claim on the project is still open, and at most
one claim per project is ever recognised (also a database constraint)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhaoshang.core import checks
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM, require, require_in_scope
from zhaoshang.core.roles import Action
from zhaoshang.core.scoping import Principal
from zhaoshang.core.services import audited_create, audited_update
from zhaoshang.org.models import Unit
from zhaoshang.outreach import notices
from zhaoshang.outreach.models import OPEN_CLAIMS, Contact, OutreachSettings, ReferrerClaim
from zhaoshang.outreach.services.common import may_write_for, require_coordinator
from zhaoshang.projects.models import Project

LABELS = {"claimed": "已申报", "verified": "已核实", "recognised": "已认定", "refused": "不予认定"}


def recognising_unit(county: Unit) -> Unit | None:
    found = OutreachSettings.objects.filter(county=county).select_related("recognising_unit").first()
    return found.recognising_unit if found else None


def settings_save(by: Principal, county: Unit, *, recognising_unit: Unit) -> OutreachSettings:
    require_coordinator(by, county)
    if recognising_unit is None or not recognising_unit.path.startswith(county.path):
        raise ValidationError({"recognising_unit": "引资人认定单位：只能是本县单位"})
    found = OutreachSettings.objects.filter(county=county).first()
    if found is None:
        return audited_create(OutreachSettings(county=county, recognising_unit=recognising_unit))
    audited_update(found, {"recognising_unit": recognising_unit}, reason="调整引资人认定单位")
    return found


def may_recognise(by: Principal, county: Unit) -> bool:
    unit = recognising_unit(county)
    return unit is not None and may_write_for(by, unit) and by.can(Action.EDIT_BUSINESS)


def _county(project: Project) -> Unit:
    return Unit.objects.get(path=project.town.jurisdiction_path)


def _own_investor(project: Project, referrer: Contact) -> bool:
    def plain(s: str) -> str:
        return "".join(s.split()).replace("（", "(").replace("）", ")")

    investor = plain(project.investor_name)
    return bool(investor) and investor in {plain(referrer.name), plain(referrer.organisation.split(" ")[0])}


def claim_file(
    by: Principal,
    project: Project,
    *,
    referrer: Contact,
    claimant_unit: Unit,
    evidence: str,
    on: dt.date | None = None,
    migrated_from: str = "",
) -> ReferrerClaim:
    """A unit claims that `referrer` brought the project in, with the evidence."""
    require(by, Action.EDIT_BUSINESS)
    if by is not SYSTEM and not may_write_for(by, claimant_unit):
        raise PermissionDenied("只能以本单位名义申报引资人。")
    require_in_scope(by.acting_for(Action.VIEW_PIPELINE), project, Action.VIEW_PIPELINE)
    on = on or timezone.localdate()
    found: dict[str, str] = {}
    values = {"evidence": evidence}
    checks.text(values, "evidence", "引荐经过及证明材料", found, required=True)
    if referrer is None:
        found["referrer"] = "引资人：必须选择登记的联络对象"
    elif referrer.county.path != project.town.jurisdiction_path:
        found["referrer"] = "引资人：只能选择本县登记的联络对象"
    elif _own_investor(project, referrer):
        found["referrer"] = "引资人：投资方不能作为本项目的引资人"
    if project.signed_on is not None and on > project.signed_on and not migrated_from:
        found["claimed_on"] = f"申报日期：须在项目签约（{project.signed_on:%Y-%m-%d}）之前申报"
    if (
        referrer is not None
        and ReferrerClaim.objects.filter(
            project=project, referrer=referrer, status__in=(*OPEN_CLAIMS, "recognised")
        ).exists()
    ):
        found["referrer"] = "引资人：该联络对象对本项目已有申报"
    if found:
        raise ValidationError(found)
    with transaction.atomic():
        claim = audited_create(
            ReferrerClaim(
                project=project,
                referrer=referrer,
                claimant_unit=claimant_unit,
                claimed_on=on,
                evidence=values["evidence"],
                migrated_from=migrated_from,
            )
        )
        notices.claim_filed(claim, recognising_unit(_county(project)))
    return claim


def _decide(by: Principal, claim: ReferrerClaim) -> None:
    county = _county(claim.project)
    if by is not SYSTEM and not may_recognise(by, county):
        unit = recognising_unit(county)
        raise PermissionDenied(f"引资人由{unit.name if unit else '引资人认定单位（尚未设置）'}认定。")


def claim_verify(by: Principal, claim: ReferrerClaim, note: str = "") -> ReferrerClaim:
    _decide(by, claim)
    if claim.status != "claimed":
        raise ValidationError({"status": f"认定状态：{LABELS[claim.status]}的申报不能核实"})
    audited_update(
        claim,
        {
            "status": "verified",
            "decided_by_id": by.user_id,
            "decided_on": timezone.localdate(),
            "reason": note.strip(),
        },
        reason=note.strip() or "核实",
        action=AuditEvent.Action.TRANSITION,
    )
    notices.claim_decided(claim)
    return claim


def competing(claim: ReferrerClaim) -> list[ReferrerClaim]:
    """The other claims on the same project still open or already recognised."""
    return list(
        ReferrerClaim.objects.filter(project_id=claim.project_id)
        .filter(Q(status__in=OPEN_CLAIMS) | Q(status="recognised"))
        .exclude(pk=claim.pk)
        .select_related("referrer")
    )


def claim_recognise(by: Principal, claim: ReferrerClaim, note: str = "") -> ReferrerClaim:
    _decide(by, claim)
    if claim.status != "verified":
        raise ValidationError({"status": "认定状态：须先核实，再认定"})
    with transaction.atomic():
        others = ReferrerClaim.objects.select_for_update().filter(project_id=claim.project_id)
        rivals = [c for c in others if c.pk != claim.pk and c.status in (*OPEN_CLAIMS, "recognised")]
        if rivals:
            names = "、".join(f"{c.referrer.name}（{LABELS[c.status]}）" for c in rivals)
            raise ValidationError({"status": f"认定状态：本项目还有其他引资人申报未办结：{names}，须先处理"})
        audited_update(
            claim,
            {
                "status": "recognised",
                "decided_by_id": by.user_id,
                "decided_on": timezone.localdate(),
                "reason": note.strip(),
            },
            reason=note.strip() or "认定",
            action=AuditEvent.Action.TRANSITION,
        )
        notices.claim_decided(claim)
    return claim


def claim_refuse(by: Principal, claim: ReferrerClaim, reason: str) -> ReferrerClaim:
    _decide(by, claim)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "意见：不予认定须写明原因"})
    if claim.status not in OPEN_CLAIMS:
        raise ValidationError({"status": f"认定状态：{LABELS[claim.status]}的申报不能再办理"})
    audited_update(
        claim,
        {
            "status": "refused",
            "decided_by_id": by.user_id,
            "decided_on": timezone.localdate(),
            "reason": reason,
        },
        reason=reason,
        action=AuditEvent.Action.TRANSITION,
    )
    notices.claim_decided(claim)
    return claim


def recognised_referrer(project: Project) -> ReferrerClaim | None:
    return (
        ReferrerClaim.objects.filter(project=project, status="recognised")
        .select_related("referrer", "claimant_unit")
        .first()
    )


def match_free_text(by: Principal, county: Unit) -> dict[str, Any]:
    """The older projects' free-text 引荐人或单位 matched to registered contacts: where the text is
    exactly one contact's name a claim is filed in its name (to be verified like any other); the
    rest are left for the review list (`selectors.unmatched_referrers`)."""
    require_coordinator(by, county)
    contacts: dict[str, list[Contact]] = {}
    for c in Contact.objects.filter(county=county):
        contacts.setdefault(c.name.strip(), []).append(c)
    claimed = set(ReferrerClaim.objects.exclude(migrated_from="").values_list("project_id", flat=True))
    projects = (
        Project.objects.filter(town__jurisdiction_path=county.path)
        .exclude(referrer="")
        .exclude(pk__in=claimed)
        .select_related("town", "lead_unit")
        .order_by("pk")
    )
    matched = unmatched = 0
    for project in projects:
        found = contacts.get(project.referrer.strip(), [])
        if len(found) != 1 or _own_investor(project, found[0]):
            unmatched += 1
            continue
        claim_file(
            SYSTEM,
            project,
            referrer=found[0],
            claimant_unit=project.lead_unit,
            evidence=f"由项目原登记的“引荐人或单位”（{project.referrer}）迁移",
            on=project.created_at.date() if project.created_at else None,
            migrated_from=project.referrer,
        )
        matched += 1
    return {"matched": matched, "unmatched": unmatched}
