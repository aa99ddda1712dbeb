"""Events recorded while the library lived in the projects app stay in the chain as they were written,
and a proposal's history still shows them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.selectors import audit_events
from zhaoshang.core.templatetags.zs import audit_changes
from zhaoshang.org.principal import principal_for
from zhaoshang.promotion import selectors, services
from zhaoshang.promotion.models import PromotionProject


def _proposal(county: Any) -> PromotionProject:
    return services.promotion_create(
        principal_for(county.coordinator),
        name="年产 5 万吨金属镁项目",
        unit=county.town_a,
        industry_code="3217",
        estimated_investment=Decimal("150000"),
        maturity="proposal",
    )


def _old_event(p: PromotionProject) -> AuditEvent:
    """An event as the projects app wrote it before the move: under the label it had then."""
    return audit.record(
        AuditEvent.Action.TRANSITION,
        target_type="projects.promotionproject",
        target_id=p.pk,
        target_repr=p.name,
        before={"status": "reserve"},
        after={"status": "promoting"},
        reason="列入年度招商推介目录",
    )


def test_the_moved_models_know_their_former_labels() -> None:
    assert audit.labels_of("promotion.promotionproject") == (
        "promotion.promotionproject",
        "projects.promotionproject",
    )
    assert audit.labels_of("promotion.promotionfile") == ("promotion.promotionfile", "projects.promotionfile")
    assert audit.current_label("projects.promotionproject") == "promotion.promotionproject"
    assert audit.current_label("projects.project") == "projects.project"


def test_a_proposal_history_shows_events_recorded_under_the_old_label(client: Any, county: Any) -> None:
    p = _proposal(county)
    old = _old_event(p)
    services.promotion_update(
        principal_for(county.coordinator), p, {"maturity": "feasibility"}, reason="可研完成"
    )
    events = list(audit.history(p))
    assert [e.target_type for e in events] == [
        "promotion.promotionproject",
        "projects.promotionproject",
        "promotion.promotionproject",
    ]
    assert old in events
    shown = dict(selectors.history(principal_for(county.coordinator), p))
    assert shown[old] == [("状态", "储备", "推介中")]
    client.force_login(county.coordinator)
    page = client.get(f"/projects/library/{p.pk}/").content.decode()
    assert "列入年度招商推介目录" in page and "可研完成" in page
    assert audit.verify().ok  # the old event was never rewritten


def test_the_audit_log_names_old_events_fields_and_filters_both_labels(county: Any) -> None:
    p = _proposal(county)
    old = _old_event(p)
    assert audit_changes(old) == [("状态", "储备", "推介中")]  # read through the moved model, in words
    found = set(audit_events({"target_type": "promotion.promotionproject"}).values_list("pk", flat=True))
    assert old.pk in found and len(found) == 2
    assert (
        set(audit_events({"target_type": "projects.promotionproject"}).values_list("pk", flat=True)) == found
    )
