"""The promotion library: status rules, scoping, refused forms, bounded list queries and the export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project
from zhaoshang.promotion import services
from zhaoshang.promotion.models import PromotionFile, PromotionProject


def _promotion(county: Any, by: Any = None, unit: Any = None, **extra: Any) -> PromotionProject:
    return services.promotion_create(
        principal_for(by or county.coordinator),
        name=extra.pop("name", "年产 5 万吨不锈钢精密带材项目"),
        unit=unit or county.town_a,
        industry_code=extra.pop("industry_code", "3130"),
        chain_node="不锈钢产业链·下游制品",
        estimated_investment=Decimal("120000"),
        land_mu=Decimal("150.5"),
        maturity=extra.pop("maturity", "proposal"),
        description="依托本县镍铁资源，建设冷轧精密带材生产线。",
        **extra,
    )


def _project(county: Any, town: Any) -> Project:
    return project_services.project_create(
        principal_for(county.coordinator),
        name="浙江某不锈钢带材项目",
        investor_name="浙江某不锈钢股份有限公司",
        channel="team",
        town=town,
        lead_unit=county.bureau,
    )


def test_status_moves_follow_the_rules(county: Any) -> None:
    staff, coordinator = principal_for(county.staff_a), principal_for(county.coordinator)
    p = _promotion(county, county.staff_a)
    assert (p.status, p.unit_id, p.industry_code) == ("reserve", county.town_a.pk, "3130")
    with pytest.raises(ValidationError, match="不能从“储备”直接变为“已对接”"):
        services.promotion_move(staff, p, "matched", project=_project(county, county.town_a))
    with pytest.raises(ValidationError, match="原因：关闭未对接的储备项目须写明原因"):
        services.promotion_move(staff, p, "closed")
    services.promotion_move(staff, p, "promoting")
    with pytest.raises(ValidationError, match="对接项目：请选择"):
        services.promotion_move(staff, p, "matched")
    hidden = _project(county, county.town_b)  # town A's staff cannot see town B's projects
    with pytest.raises(ValidationError, match="不在您的查看范围内"):
        services.promotion_move(staff, p, "matched", project=hidden)
    project = _project(county, county.town_a)
    services.promotion_move(staff, p, "matched", project=project, reason="浙江客商考察后签约")
    p.refresh_from_db()
    assert (p.status, p.project_id) == ("matched", project.pk)
    services.promotion_move(staff, p, "closed")  # a matched proposal is done: no reason needed
    with pytest.raises(ValidationError, match="不能修改"):
        services.promotion_update(staff, p, {"name": "改名"})
    with pytest.raises(ValidationError, match="只有统筹协调人员"):
        services.promotion_move(staff, p, "reserve", reason="重新推介")
    with pytest.raises(ValidationError, match="原因：重新启用须写明原因"):
        services.promotion_move(coordinator, p, "reserve")
    services.promotion_move(coordinator, p, "reserve", reason="投资方退出，重新入库")
    p.refresh_from_db()
    assert (p.status, p.project_id) == ("reserve", None)
    moves = AuditEvent.objects.filter(
        action=AuditEvent.Action.TRANSITION, target_type="promotion.promotionproject", target_id=str(p.pk)
    ).order_by("seq")
    assert [e.reason for e in moves] == [
        "储备→推介中",
        "浙江客商考察后签约",
        "已对接→已关闭",
        "投资方退出，重新入库",
    ]
    assert audit.verify().ok


def test_writes_are_checked_against_role_and_scope(county: Any) -> None:
    with pytest.raises(ValidationError, match="策划单位：该单位不在您的职责范围内"):  # town B's staff, town A
        _promotion(county, county.staff_b, unit=county.town_a)
    with pytest.raises(PermissionDenied):  # inspectors read and never write
        _promotion(county, county.inspector, unit=county.town_a)
    p = _promotion(county, county.staff_a)
    with pytest.raises(PermissionDenied):
        services.promotion_update(principal_for(county.staff_b), p, {"name": "乙镇改名"})
    with pytest.raises(ValidationError) as refused:
        services.promotion_update(
            principal_for(county.staff_a), p, {"industry_code": "9", "land_mu": Decimal("-1")}
        )
    assert refused.value.message_dict["land_mu"] == ["用地（亩）：不能为负数"]
    assert refused.value.message_dict["industry_code"][0].startswith("行业代码：")
    changed = services.promotion_update(
        principal_for(county.staff_a), p, {"maturity": "feasibility"}, reason="可研报告已完成"
    )
    assert changed == ["maturity"]


def test_attachments_are_bounded_audited_and_downloaded_in_scope(client: Any, county: Any) -> None:
    staff = principal_for(county.staff_a)
    p = _promotion(county, county.staff_a)
    with pytest.raises(ValidationError, match="超过 20 MB"):
        services.promotion_attach(staff, p, "可研.pdf", b"x" * (services.MAX_FILE_BYTES + 1))
    item = services.promotion_attach(staff, p, "可研报告.pdf", b"%PDF-1.4 feasibility")
    event = AuditEvent.objects.filter(target_type="promotion.promotionfile").get()
    assert event.after == {"promotion": p.pk, "filename": "可研报告.pdf", "size": 20}
    client.force_login(county.staff_a)
    got = client.get(f"/projects/library/{p.pk}/files/{item.pk}/")
    assert got.status_code == 200 and got.content == b"%PDF-1.4 feasibility"
    assert got["Content-Disposition"].startswith("attachment;")
    client.force_login(county.staff_b)
    assert client.get(f"/projects/library/{p.pk}/files/{item.pk}/").status_code == 404
    assert PromotionFile.objects.count() == 1


def test_town_a_cannot_see_town_b_proposals(client: Any, county: Any) -> None:
    mine = _promotion(county, unit=county.town_a, name="甲镇储备项目")
    theirs = _promotion(county, unit=county.town_b, name="乙镇储备项目")
    client.force_login(county.staff_a)
    page = client.get("/projects/library/")
    assert [p.pk for p in page.context["page"]] == [mine.pk]
    assert {label: n for _, label, n, _ in page.context["counts"]}["储备"] == 1
    for url in (
        f"/projects/library/{theirs.pk}/",
        f"/projects/library/{theirs.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/projects/library/{theirs.pk}/move/", {"target": "promoting"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "reserve"
    assert client.get(f"/projects/library/{mine.pk}/").status_code == 200


def test_a_refused_form_keeps_what_was_typed(client: Any, county: Any) -> None:
    client.force_login(county.staff_a)
    typed = {
        "name": "工业硅深加工项目",
        "unit": county.town_a.pk,
        "industry_code": "XYZ",
        "chain_node": "工业硅产业链·中游",
        "estimated_investment": "80000",
        "land_mu": "-3",
        "maturity": "idea",
        "description": "多晶硅切片与有机硅单体",
    }
    response = client.post("/projects/library/new/", typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "工业硅深加工项目" in html and "多晶硅切片与有机硅单体" in html and 'value="80000"' in html
    assert "行业代码：" in html
    assert not PromotionProject.objects.exists()
    # A move the rules refuse comes back with the reason box still filled.
    p = _promotion(county, county.staff_a)
    response = client.post(f"/projects/library/{p.pk}/move/", {"target": "closed", "reason": "  "})
    assert response.status_code == 400
    assert "原因：关闭未对接的储备项目须写明原因" in response.content.decode()
    services.promotion_move(principal_for(county.staff_a), p, "promoting")
    response = client.post(f"/projects/library/{p.pk}/move/", {"project": "999999", "reason": "已洽谈三轮"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "该招商项目不存在或不在您的查看范围内" in html and "已洽谈三轮" in html


def test_the_list_runs_a_bounded_number_of_queries(client: Any, county: Any) -> None:
    project = _project(county, county.town_a)

    def grow(n: int) -> None:
        for i in range(n):
            p = _promotion(county, unit=county.town_a if i % 2 else county.bureau, name=f"储备项目{i}")
            if i % 3 == 0:
                services.promotion_move(principal_for(county.coordinator), p, "promoting")
                services.promotion_move(principal_for(county.coordinator), p, "matched", project=project)

    client.force_login(county.coordinator)
    grow(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/projects/library/?maturity=proposal").status_code == 200
    grow(25)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/projects/library/?maturity=proposal").status_code == 200
    assert len(large) == len(small) and len(large) <= 14, len(large)
    p = PromotionProject.objects.filter(status="matched").first()
    services.promotion_attach(principal_for(county.coordinator), p, "建议书.pdf", b"%PDF")
    with CaptureQueriesContext(connection) as detail:
        assert client.get(f"/projects/library/{p.pk}/").status_code == 200
    assert len(detail) <= 16, len(detail)


def test_export_holds_what_the_list_shows(client: Any, county: Any) -> None:
    project = _project(county, county.town_a)
    p = _promotion(county, name='=HYPERLINK("x") 金属镁项目')
    services.promotion_move(principal_for(county.coordinator), p, "promoting")
    services.promotion_move(principal_for(county.coordinator), p, "matched", project=project)
    _promotion(county, name="微晶纳米装饰材料项目", maturity="idea")
    _promotion(county, unit=county.town_b, name="乙镇不锈钢项目")
    client.force_login(county.staff_a)
    response = client.get("/projects/library/?status=matched&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:9] == (
        "项目名称",
        "策划单位",
        "行业代码",
        "产业链环节",
        "估算投资（万元）",
        "用地（亩）",
        "策划深度",
        "状态",
        "对接项目",
    )
    assert len(rows) == 2
    name, unit, code, node, money, land, maturity, status, matched = rows[1][:9]
    assert name.startswith("'=")  # a formula typed as a name is neutralised
    assert (unit, code, node, maturity, status, matched) == (
        "甲镇",
        "3130",
        "不锈钢产业链·下游制品",
        "项目建议书",
        "已对接",
        "浙江某不锈钢带材项目",
    )
    assert (Decimal(str(money)), Decimal(str(land))) == (Decimal("120000"), Decimal("150.5"))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, target_repr="项目储备库").exists()


def test_the_demo_library_spans_every_status(county: Any) -> None:
    from zhaoshang.demo.promotion import PROPOSALS, build_promotions

    for town in (county.town_a, county.town_b) * 3:
        project_services.project_move(
            principal_for(county.coordinator), _project(county, town), "negotiating", on=dt.date(2025, 3, 1)
        )
    assert build_promotions([county.bureau, county.town_a, county.town_b], seed=1) == len(PROPOSALS)
    by_status = {s: PromotionProject.objects.filter(status=s).count() for s in services.STATUS_LABELS}
    assert by_status == {"reserve": 10, "promoting": 10, "matched": 5, "closed": 5}
    assert not PromotionProject.objects.filter(status="matched", project=None).exists()
    assert set(PromotionProject.objects.values_list("maturity", flat=True)) == {
        "idea",
        "proposal",
        "feasibility",
    }
