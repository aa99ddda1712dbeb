"""产业链: the chain's entry thresholds in the pre-review, targets becoming projects, the monthly
report and its commitments, the five lists' exports, and bounded queries with many enterprises."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.chains import overview, selectors, services
from zhaoshang.chains.models import NodeEnterprise, NodeProject, TargetCompany
from zhaoshang.chains.tests.helpers import chain, node
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, make_uscc
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project
from zhaoshang.projects.services.reviews import review_submit
from zhaoshang.projects.tests.helpers import sign

pytestmark = pytest.mark.django_db


def _project(county: Any, **extra: Any) -> Project:
    return project_services.project_create(
        principal_for(county.coordinator),
        name=extra.pop("name", "精密数控机床项目"),
        investor_name="宁波某机床股份有限公司",
        channel="team",
        town=county.town_a,
        lead_unit=county.bureau,
        **extra,
    )


def test_a_project_on_a_chain_fails_pre_review_on_the_chain_s_stricter_threshold(county: Any) -> None:
    c = chain(county, min_investment=Decimal("50000"), min_intensity=Decimal("100"))
    n = node(c)
    p = _project(county, planned_investment=Decimal("30000"), land_needed_mu=Decimal("100"))
    outcome = review_submit(principal_for(county.coordinator), p, timezone.localdate())
    assert not any("产业链" in v["reason"] for v in outcome.verdicts)  # not on the chain yet

    services.place_projects(principal_for(county.coordinator), n, [p])
    review = review_submit(principal_for(county.coordinator), p, timezone.localdate())
    verdicts = {v["key"]: v for v in review.verdicts}
    assert not verdicts["min_investment"]["passed"]
    assert "产业链“智能制造”准入门槛" in verdicts["min_investment"]["reason"]
    assert "计划投资不低于 50000 万元" in verdicts["min_investment"]["reason"]
    # 300 万元/亩 ≥ the chain's 100: passes, and the county's own (stricter or not) rule is named as it is.
    assert verdicts["min_intensity"]["passed"]
    assert not review.rules_passed and review.suggestion != "pass"


def test_the_stricter_threshold_wins_and_the_unit_s_own_stays_its_own() -> None:
    from zhaoshang.projects.engines import prereview

    rules = prereview.parse(
        {"thresholds": {"min_intensity": "300", "min_land_mu": "20"}, "criteria": [], "pass_line": "60"}
    )
    facts = prereview.Project(land_mu=Decimal(50), investment=Decimal(20000))  # 400 万元/亩
    chain_rule = prereview.ExtraRule("产业链“循环经济”准入门槛", {"min_intensity": Decimal(200)})
    loose = {v.key: v for v in prereview.run(rules, facts, (chain_rule,)).verdicts}
    assert loose["min_intensity"].passed and "产业链" not in loose["min_intensity"].reason
    strict = prereview.ExtraRule("产业链“循环经济”准入门槛", {"min_intensity": Decimal(500)})
    verdicts = {v.key: v for v in prereview.run(rules, facts, (strict,)).verdicts}
    assert not verdicts["min_intensity"].passed
    assert verdicts["min_intensity"].reason.endswith("产业链“循环经济”准入门槛）")


def test_a_target_met_becomes_a_project_on_its_node(county: Any) -> None:
    c = chain(county)
    n = node(c)
    staff, coordinator = principal_for(county.staff_a), principal_for(county.coordinator)
    t = services.target_create(
        coordinator,
        c,
        node=n,
        name="北京某数控装备集团",
        location="北京",
        strength="china500",
        mode="anchor",
        leader=county.leader,
        fit="国内数控系统龙头，补齐中游整机",
    )
    assert county.leader.notifications.filter(kind="chain_target_assigned").count() == 1  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):  # a town's staff reads the chain but does not run it
        services.target_move(staff, t, "contacted")
    with pytest.raises(ValidationError, match="转为项目：目标企业须已拜访或洽谈中"):
        services.target_convert(coordinator, t, town=county.town_a)
    with pytest.raises(ValidationError, match="不能从“未接触”直接变为“洽谈中”"):
        services.target_move(coordinator, t, "negotiating")
    services.target_move(coordinator, t, "visited")
    project = services.target_convert(coordinator, t, town=county.town_a, planned_investment=Decimal(60000))
    t.refresh_from_db()
    assert (t.status, t.project_id) == ("converted", project.pk)
    assert (project.investor_name, project.investor_origin, project.investor_rank) == (
        "北京某数控装备集团",
        "北京",
        "china500",
    )
    assert project.responsible_leader_id == county.leader.pk
    assert NodeProject.objects.filter(node=n, project=project).exists()
    assert selectors.chain_project_ids(c) == [project.pk]
    reasons = list(
        AuditEvent.objects.filter(target_id=str(t.pk), target_type="chains.targetcompany").values_list(
            "reason", flat=True
        )
    )
    assert "未接触→已拜访" in reasons and any(r.startswith("转为招商项目") for r in reasons)
    with pytest.raises(ValidationError, match="放弃目标企业须写明原因"):
        services.target_move(
            coordinator,
            TargetCompany.objects.create(chain=c, node=n, name="另一家", status_since=timezone.localdate()),
            "dropped",
        )


def test_a_commitment_shows_kept_in_the_next_month_s_report(client: Any, county: Any) -> None:
    c = chain(county)
    n = node(c)
    p = _project(county, planned_investment=Decimal(30000))
    other = _project(county, name="数控刀具项目")
    services.place_projects(SYSTEM, n, [p, other])
    month = timezone.localdate().replace(day=1)
    texts = {
        "achievements": "走访企业 6 家",
        "shortfalls": "配套不足",
        "causes": "起步晚",
        "plan": "赴宁波对接",
    }
    staff_of_lead = principal_for(county.coordinator)
    report = services.report_file(
        staff_of_lead, c, month, commitments=[(p, "sign"), (other, "sign")], **texts
    )
    assert [o.kept for o in selectors.outcomes(report)] == [False, False]
    with pytest.raises(ValidationError, match="承诺项目：.* 不在本产业链的项目清单中"):
        services.report_file(
            staff_of_lead, c, month, commitments=[(_project(county, name="别处"), "sign")], **texts
        )
    sign(county.coordinator, p)

    client.force_login(county.coordinator)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    page = client.get(f"/chains/{c.pk}/reports/{following:%Y-%m}/").content.decode()
    assert 'data-kept="yes"' in page and "兑现：已于" in page  # the project signed
    assert 'data-kept="no"' in page and "未兑现：未签约" in page  # the other did not
    year = overview.inspection(principal_for(county.inspector), month.year)
    assert [(r.filed, r.committed, r.kept) for r in year] == [(1, 2, 1)]


def test_a_meeting_locks_the_month_s_reports_and_a_late_one_is_marked(county: Any) -> None:
    c = chain(county)
    month = timezone.localdate().replace(day=1)
    texts = {"achievements": "甲", "shortfalls": "乙", "causes": "丙", "plan": "丁"}
    meeting = services.meeting_schedule(SYSTEM, county.county, month, month)
    late_at = timezone.make_aware(dt.datetime.combine(month + dt.timedelta(days=1), dt.time(9)))
    report = services.report_file(SYSTEM, c, month, at=late_at, **texts)
    assert report.late
    services.meeting_held(SYSTEM, meeting, timezone.localdate())
    report.refresh_from_db()
    assert report.locked and report.figures["signed"] == 0
    with pytest.raises(ValidationError, match="月报已锁定"):
        services.report_file(SYSTEM, c, month, **texts)


def _listed(client: Any, url: str) -> tuple[list[str], list[str]]:
    """The first column of the page's table and of its export, row for row."""
    import re

    page = client.get(url).content.decode()
    body = page.split('id="five-table"')[1].split("</tbody>")[0].split("<tbody>")[1]
    shown = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<tr[^>]*>\s*<td[^>]*>(.*?)</td>", body, re.S)
    ]
    response = client.get(url + ("&" if "?" in url else "?") + "format=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return shown, [r[0] for r in rows[1:]]


def test_each_of_the_five_lists_exports_the_rows_it_shows(client: Any, county: Any) -> None:
    c = chain(county)
    n, m = node(c), node(c, "伺服电机", status="weak", segment="upstream", industry_codes="3812")
    coordinator = principal_for(county.coordinator)
    year = selectors.data_year()
    firms = [EnterpriseFactory(name=f"机床企业{i}", town=county.town_a) for i in range(3)]
    EnterpriseFactory(name="别链企业", town=county.town_a)
    for i, f in enumerate(firms):
        EnterpriseYear.objects.create(
            enterprise=f, year=year, output_value=Decimal(1000 * (i + 1)), tax=Decimal(10)
        )
    services.place_enterprises(coordinator, n, firms[:2])
    services.place_enterprises(coordinator, m, firms[1:])
    services.place_projects(
        coordinator, n, [_project(county, name="甲项目"), _project(county, name="乙项目")]
    )
    _project(county, name="链外项目")
    for name in ("北京某公司", "上海某公司", "深圳某公司"):
        services.target_create(coordinator, c, node=n if name != "深圳某公司" else m, name=name)
    services.policy_add(coordinator, c, title="智能制造首台套奖励办法", issuer="县经信局")
    services.problem_raise(
        coordinator, c, title="机床铸件配套不足", owner_unit=county.bureau, deadline=timezone.localdate()
    )
    client.force_login(county.coordinator)
    expected = {
        "policies": ["智能制造首台套奖励办法"],
        "problems": ["机床铸件配套不足"],
        "enterprises": ["机床企业2", "机床企业1", "机床企业0"],  # by output, largest first
        "projects": None,
        "targets": ["上海某公司", "北京某公司", "深圳某公司"],
    }
    for kind, names in expected.items():
        shown, exported = _listed(client, f"/chains/{c.pk}/lists/{kind}/")
        assert shown == exported, kind
        if names is not None:
            assert shown == names, kind
    assert sorted(_listed(client, f"/chains/{c.pk}/lists/projects/")[1]) == ["乙项目", "甲项目"]
    shown, exported = _listed(client, f"/chains/{c.pk}/lists/enterprises/?node={m.pk}")
    assert shown == exported == ["机床企业2", "机床企业1"]
    shown, exported = _listed(client, f"/chains/{c.pk}/lists/targets/?node={n.pk}&sort=-name")
    assert shown == exported == ["北京某公司", "上海某公司"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() >= 7


def _many_enterprises(county: Any, n: int, start: int) -> list[Enterprise]:
    rows = [
        Enterprise(
            uscc=make_uscc(start + i),
            name=f"链上企业{start + i}",
            name_initials="lsqy",
            industry_code="3421",
            industry_section="C",
            town=county.town_a,
        )
        for i in range(n)
    ]
    Enterprise.objects.bulk_create(rows, batch_size=5000)
    return list(Enterprise.objects.filter(uscc__in=[r.uscc for r in rows]).only("pk"))


def _pages(client: Any, c: Any, n: Any) -> dict[str, int]:
    counts = {}
    for url in (
        "/chains/",
        f"/chains/{c.pk}/",
        f"/chains/nodes/{n.pk}/",
        *(
            f"/chains/{c.pk}/lists/{k}/"
            for k in ("policies", "problems", "enterprises", "projects", "targets")
        ),
    ):
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200, url
        counts[url] = len(q)
    return counts


def test_the_chain_pages_stay_bounded_with_fifty_thousand_enterprises_placed(
    client: Any, county: Any
) -> None:
    c = chain(county)
    n = node(c, industry_codes="3421")
    others = [node(c, f"环节{i}", status="weak") for i in range(3)]
    year = selectors.data_year()
    few = _many_enterprises(county, 60, 1)  # more than a page, as the large case
    NodeEnterprise.objects.bulk_create([NodeEnterprise(node=n, enterprise=e) for e in few])
    services.target_create(SYSTEM, c, node=others[0], name="某目标企业")
    client.force_login(county.coordinator)
    small = _pages(client, c, n)

    many = _many_enterprises(county, 50_000, 100)
    NodeEnterprise.objects.bulk_create([NodeEnterprise(node=n, enterprise=e) for e in many], batch_size=5000)
    EnterpriseYear.objects.bulk_create(
        [
            EnterpriseYear(enterprise=e, year=year, output_value=Decimal(100), tax=Decimal(5))
            for e in many[:5000]
        ],
        batch_size=5000,
    )
    large = _pages(client, c, n)
    assert large == small, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    assert max(large.values()) <= 30, large
    assert "50,060 家企业" in client.get(f"/chains/nodes/{n.pk}/").content.decode()


def test_the_lead_unit_judges_a_node_confirms_suggestions_and_files_a_problem(
    client: Any, county: Any
) -> None:
    c = chain(county)
    n = node(c, industry_codes="3421")
    fit = EnterpriseFactory(name="甲镇精密机械有限公司", town=county.town_a, industry_code="3421")
    EnterpriseFactory(name="甲镇水泥有限公司", town=county.town_a, industry_code="3011")
    client.force_login(county.coordinator)
    page = client.get(f"/chains/nodes/{n.pk}/").content.decode()
    assert "甲镇精密机械有限公司" in page and "甲镇水泥有限公司" not in page  # suggested by industry code

    refused = client.post(f"/chains/nodes/{n.pk}/status/", {"status": "weak", "reason": " "})
    assert refused.status_code == 400 and "判断依据" in refused.content.decode()
    assert (
        client.post(f"/chains/nodes/{n.pk}/status/", {"status": "weak", "reason": "有 1 家企业"}).status_code
        == 302
    )
    assert client.post(f"/chains/nodes/{n.pk}/place/", {"enterprises": [fit.pk]}).status_code == 302
    n.refresh_from_db()
    assert (n.status, n.status_reason) == ("weak", "有 1 家企业")
    assert NodeEnterprise.objects.filter(node=n, enterprise=fit).exists()
    assert "甲镇精密机械有限公司" not in str(selectors.suggestions(n))

    late = client.post(
        f"/chains/{c.pk}/lists/problems/add/",
        {"title": "铸件配套不足", "owner_unit": county.bureau.pk, "deadline": "2020-01-01"},
    )
    assert late.status_code == 400 and "办结时限：不能早于提出日期" in late.content.decode()
    assert 'value="铸件配套不足"' in late.content.decode()  # what was typed stays
    deadline = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    ok = client.post(
        f"/chains/{c.pk}/lists/problems/add/",
        {"title": "铸件配套不足", "owner_unit": county.bureau.pk, "deadline": deadline},
    )
    assert ok.status_code == 302 and c.problems.get().title == "铸件配套不足"
    client.force_login(county.staff_a)  # a town reads the chain, and may not judge its nodes
    assert client.get(f"/chains/{c.pk}/").status_code == 200
    with pytest.raises(PermissionDenied):
        services.node_set_status(principal_for(county.staff_a), n, "strong", "理由")


def test_plans_keep_every_version_and_edits_are_audited(client: Any, county: Any) -> None:
    c = chain(county)
    n = node(c)
    coordinator = principal_for(county.coordinator)
    year = timezone.localdate().year
    first = services.plan_save(coordinator, c, year, goals="引进项目 10 个", measures="赴长三角招商")
    second = services.plan_save(
        coordinator, c, year, goals="引进项目 12 个", measures="赴长三角招商", note="提高目标"
    )
    assert (first.number, second.number) == (1, 2) and c.plans.count() == 2
    with pytest.raises(ValidationError, match="工作目标：必须填写"):
        services.plan_save(coordinator, c, year, goals=" ", measures="甲")
    services.chain_update(
        coordinator, c, {"min_investment": Decimal(20000), "member_units": [county.town_a]}, reason="提高门槛"
    )
    c.refresh_from_db()
    assert c.min_investment == Decimal(20000) and list(c.member_units.all()) == [county.town_a]
    with pytest.raises(ValidationError, match="准入：计划投资不低于（万元）：不能为负数"):
        services.chain_update(coordinator, c, {"min_investment": Decimal(-1)})
    with pytest.raises(PermissionDenied):
        services.chain_update(principal_for(county.staff_a), c, {"name": "改名"})
    policy = services.policy_add(coordinator, c, title="首台套奖励")
    with pytest.raises(ValidationError, match="撤下政策须写明原因"):
        services.policy_withdraw(coordinator, policy, "")
    services.policy_withdraw(coordinator, policy, "政策到期")
    problem = services.problem_raise(
        coordinator, c, title="缺铸件", owner_unit=county.bureau, deadline=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="解决情况"):
        services.problem_progress(coordinator, problem, "solved", "")
    services.problem_progress(coordinator, problem, "solved", "引进铸造企业一家")
    t = services.target_create(coordinator, c, node=n, name="某集团")
    services.target_update(coordinator, t, {"leader": county.leader, "location": "杭州"}, reason="交办县长")
    t.refresh_from_db()
    assert (t.leader_id, t.location) == (county.leader.pk, "杭州")
    client.force_login(county.inspector)
    page = client.get("/chains/inspection/").content.decode()
    assert "智能制造" in page and "链长履职情况" in page
    assert client.get(f"/chains/targets/{t.pk}/").status_code == 200
    assert client.get(f"/chains/{c.pk}/reports/bad/").status_code == 404
