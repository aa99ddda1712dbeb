"""引资人认定: claims filed with evidence before signing, verified and recognised by the recognising
unit, refused with a reason; never two recognised on one project; the investor never its own
referrer; the register; the free-text referrers matched or listed for review; the project page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhaoshang.core.models import AuditEvent, Notification
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org.principal import principal_for
from zhaoshang.outreach import services
from zhaoshang.outreach.models import ReferrerClaim
from zhaoshang.outreach.tests.helpers import contact, project, recogniser

pytestmark = pytest.mark.django_db


def _claim(county: Any, p: Any, who: Any, **extra: Any) -> ReferrerClaim:
    return services.claim_file(
        principal_for(county.coordinator),
        p,
        referrer=who,
        claimant_unit=county.bureau,
        evidence=extra.pop("evidence", "2025 年 3 月经商会会长介绍与投资方对接"),
        **extra,
    )


def test_two_conflicting_claims_cannot_both_be_recognised(county: Any) -> None:
    recogniser(county)
    p = project(county)
    chamber, friend = contact(county), contact(county, "张乡友", kind="hometown", home_town="甲镇")
    first, second = _claim(county, p, chamber), _claim(county, p, friend)
    by = principal_for(county.coordinator)
    services.claim_verify(by, first)
    services.claim_verify(by, second)
    with pytest.raises(ValidationError, match="本项目还有其他引资人申报未办结：张乡友（已核实）"):
        services.claim_recognise(by, first)
    services.claim_refuse(by, second, "经核实，张乡友未参与对接")
    services.claim_recognise(by, first)
    assert services.recognised_referrer(p) is not None and services.recognised_referrer(p).referrer == chamber
    # a later claim on the same project cannot be recognised while one is, nor can both be forced
    third = _claim(county, p, contact(county, "某中介", kind="agent"))
    services.claim_verify(by, third)
    with pytest.raises(ValidationError, match="浙江商会（已认定）"):
        services.claim_recognise(by, third)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferrerClaim.objects.filter(pk=third.pk).update(status="recognised")  # the database refuses too


def test_a_claim_needs_evidence_a_date_before_signing_and_not_the_investor(county: Any) -> None:
    recogniser(county)
    p = project(county, investor_name="浙江商会")
    with pytest.raises(ValidationError) as refused:
        _claim(county, p, contact(county), evidence=" ")
    assert refused.value.message_dict == {
        "evidence": ["引荐经过及证明材料：必须填写"],
        "referrer": ["引资人：投资方不能作为本项目的引资人"],
    }
    q = project(county, name="精密铸造项目")
    q.signed_on = timezone.localdate() - dt.timedelta(days=10)
    q.save(update_fields=["signed_on"])
    with pytest.raises(ValidationError, match="申报日期：须在项目签约"):
        _claim(county, q, contact(county, "温州商会"))
    with pytest.raises(PermissionDenied):  # a town files only in its own name
        services.claim_file(
            principal_for(county.staff_a),
            q,
            referrer=contact(county, "福建商会"),
            claimant_unit=county.bureau,
            evidence="x",
        )


def test_only_the_recognising_unit_decides_and_a_refusal_needs_a_reason(county: Any) -> None:
    p = project(county)
    claim = _claim(county, p, contact(county))
    with pytest.raises(PermissionDenied, match="引资人认定单位（尚未设置）"):
        services.claim_verify(principal_for(county.coordinator), claim)
    recogniser(county)
    with pytest.raises(PermissionDenied):
        services.claim_verify(principal_for(county.staff_a), claim)
    with pytest.raises(ValidationError, match="不予认定须写明原因"):
        services.claim_refuse(principal_for(county.coordinator), claim, " ")
    with pytest.raises(ValidationError, match="须先核实，再认定"):
        services.claim_recognise(principal_for(county.coordinator), claim)
    services.claim_verify(principal_for(county.coordinator), claim, "与商会核对无误")
    events = AuditEvent.objects.filter(target_id=str(claim.pk), action=AuditEvent.Action.TRANSITION)
    assert [e.reason for e in events] == ["与商会核对无误"]


def test_the_pages_file_decide_and_show_the_referrer_on_the_project(client: Any, county: Any) -> None:
    recogniser(county)
    p = project(county)
    chamber = contact(county)
    client.force_login(county.coordinator)
    refused = client.post(
        f"/outreach/projects/{p.pk}/claims/", {"referrer": chamber.pk, "claimant_unit": county.bureau.pk}
    )
    assert refused.status_code == 400 and "引荐经过及证明材料" in refused.content.decode()
    filed = client.post(
        f"/outreach/projects/{p.pk}/claims/",
        {"referrer": chamber.pk, "claimant_unit": county.bureau.pk, "evidence": "商会会长引荐"},
    )
    claim = ReferrerClaim.objects.get(project=p)
    assert filed.status_code == 302 and filed["Location"] == f"/outreach/claims/{claim.pk}/"
    told = Notification.objects.get(recipient=county.coordinator, kind="referrer_claim_filed")
    assert told.link == f"/outreach/claims/{claim.pk}/"  # the recognising unit hears of it, once
    client.post(f"/outreach/claims/{claim.pk}/decide/", {"decision": "verify", "note": "核实"})
    client.post(f"/outreach/claims/{claim.pk}/decide/", {"decision": "recognise", "note": "认定"})
    claim.refresh_from_db()
    assert claim.status == "recognised"
    client.post(f"/outreach/projects/{p.pk}/origin/", {"introducing_unit": county.town_a.pk})
    page = client.get(f"/projects/{p.pk}/").content.decode()
    assert 'id="introducing-unit"' in page and "甲镇" in page
    assert "浙江商会" in page and "已认定" in page
    register = client.get("/outreach/referrers/").content.decode()
    assert "浙江商会" in register and p.name in register
    listed = client.get("/outreach/claims/?status=recognised").content.decode()
    assert p.name in listed
    exported = client.get("/outreach/claims/?status=recognised&export=xlsx")
    assert exported.status_code == 200


def test_free_text_referrers_are_matched_or_listed_for_review(client: Any, county: Any) -> None:
    chamber = contact(county)
    matched = project(county, referrer="浙江商会")
    left = project(county, name="食品加工项目", referrer="老王")
    got = services.match_free_text(SYSTEM, county.county)
    assert got == {"matched": 1, "unmatched": 1}
    claim = ReferrerClaim.objects.get(project=matched)
    assert (claim.referrer, claim.status, claim.migrated_from) == (chamber, "claimed", "浙江商会")
    assert services.match_free_text(SYSTEM, county.county) == {"matched": 0, "unmatched": 1}  # once
    client.force_login(county.coordinator)
    page = client.get("/outreach/referrers/unmatched/").content.decode()
    assert left.name in page and "老王" in page and matched.name not in page
