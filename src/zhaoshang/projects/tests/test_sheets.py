"""Projects and follow-ups as spreadsheets: round trips, bad rows named in Chinese, audit, scope."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.core import audit, imports
from zhaoshang.core.models import AuditEvent
from zhaoshang.org.principal import principal_for
from zhaoshang.projects import services
from zhaoshang.projects.models import FollowUp, Project
from zhaoshang.projects.tests.helpers import make_project, signed_project

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _header(text: Any) -> str:
    return re.sub(r"（[^）]*）$", "", str(text).rstrip("*"))


def _fill(kind: str, rows: list[dict[str, Any]], by: Any) -> bytes:
    """Download the template and fill it in by column header, as a person would in Excel."""
    wb = load_workbook(io.BytesIO(imports.template(kind, by)))
    ws = wb.active
    headers = [_header(c.value) for c in ws[1]]
    for row in rows:
        unknown = set(row) - set(headers)
        assert not unknown, unknown
        ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rows(data: bytes) -> list[dict[str, Any]]:
    ws = load_workbook(io.BytesIO(data)).active
    table = list(ws.values)
    headers = [_header(h) for h in table[0]]
    return [dict(zip(headers, row, strict=True)) for row in table[1:]]


def _counts(plan: imports.Plan) -> tuple[int, int, int, int]:
    r = plan.report()
    return r["new"], r["changed"], r["unchanged"], r["error_count"]


LEADS = [
    {
        "项目名称": "智能装备项目",
        "投资方": "苏州某装备有限公司",
        "投资方来源地": "江苏苏州",
        "投资方类别": "中国民营500强",
        "招商方式": "小分队招商",
        "引荐人或单位": "县驻苏州招商分局",
        "行业代码": "C3491",
        "计划投资": "12,000.5",
        "拟用地": 80,
        "承诺年产值": 30000,
        "承诺年税收": 1200,
        "注册资本": 5000,
        "约定开工日期": "2026-03-01",
        "约定投产日期": "2027年6月30日",
        "乡镇": "甲镇",
        "园区": "甲镇工业功能区",
        "牵头单位": "测试县招商局",
        "包抓领导": "leader",
    },
    {
        "项目名称": "食品加工项目",
        "投资方": "某食品公司",
        "招商方式": "以商招商",
        "乡镇": "甲镇",
        "牵头单位": "甲镇",
    },
]


def test_import_registers_leads_and_an_unchanged_export_imports_with_no_change(county: Any) -> None:
    coordinator = principal_for(county.coordinator)
    data = _fill("projects", LEADS, coordinator)
    assert _counts(imports.check("projects", data, "项目.xlsx", coordinator)) == (2, 0, 0, 0)
    assert not Project.objects.exists()  # a dry run writes nothing
    imports.commit("projects", data, "项目.xlsx", coordinator)
    made = Project.objects.get(name="智能装备项目")
    assert (made.stage, made.planned_investment, made.industry_code) == ("lead", Decimal("12000.5"), "3491")
    assert (made.park, made.lead_unit, made.responsible_leader) == (
        county.village_a,
        county.bureau,
        county.leader,
    )
    assert made.promised_production == dt.date(2027, 6, 30) and made.investor_rank == "private500"
    assert AuditEvent.objects.filter(target_type="projects.project", action="create").count() == 2
    # Full-width brackets and commas, as people type them, read back the same (a cell is read NFKC).
    wide = make_project(county, county.coordinator, investor_name="宁波某电池（集团）股份有限公司")
    services.follow_up_add(coordinator, wide, on=TODAY, what="上门服务，协调用电")

    exported = imports.export("projects", coordinator)
    again = imports.check("projects", exported, "导出.xlsx", coordinator)
    assert _counts(again) == (0, 0, 3, 0)
    follow_ups = imports.export("follow_ups", coordinator)
    assert _counts(imports.check("follow_ups", follow_ups, "跟进.xlsx", coordinator)) == (0, 0, 1, 0)
    # The same file once more registers nothing twice: rows without a number match name and investor.
    assert _counts(imports.check("projects", data, "项目.xlsx", coordinator))[:2] == (0, 0)

    rows = _rows(exported)
    edited = next(r for r in rows if r["项目名称"] == "食品加工项目")
    edited |= {"计划投资": 800, "阶段": "达产"}  # the stage column is for reading only
    plan = imports.commit("projects", _fill("projects", rows, coordinator), "改.xlsx", coordinator)
    assert _counts(plan) == (0, 1, 2, 0)
    food = Project.objects.get(name="食品加工项目")
    assert (food.planned_investment, food.stage) == (Decimal("800"), "lead")
    event = AuditEvent.objects.filter(target_id=str(food.pk), action="update").latest("seq")
    assert event.after == {"planned_investment": "800.0000"} and event.reason.startswith("导入第 ")
    assert audit.verify().ok


def test_a_bad_row_is_named_in_chinese_and_nothing_is_written(county: Any) -> None:
    staff_a = principal_for(county.staff_a)
    rows = [
        LEADS[1],
        {
            "项目名称": "坏项目",
            "投资方": "某公司",
            "招商方式": "打高尔夫",
            "行业代码": "9999",
            "计划投资": "三千",
            "约定开工日期": "2026-05-01",
            "约定投产日期": "2026-02-01",
            "乡镇": "乙镇",
            "牵头单位": "甲镇",
        },
        {
            "项目名称": "日期颠倒",
            "投资方": "某公司",
            "招商方式": "网络招商",
            "乡镇": "甲镇",
            "牵头单位": "甲镇",
            "约定开工日期": "2026-05-01",
            "约定投产日期": "2026-02-01",
        },
        {
            "项目编号": 424242,
            "项目名称": "改名",
            "投资方": "某公司",
            "招商方式": "网络招商",
            "乡镇": "甲镇",
            "牵头单位": "甲镇",
        },
    ]
    plan = imports.commit("projects", _fill("projects", rows, staff_a), "坏.xlsx", staff_a)
    found = {(e.row, e.column): e.message for e in plan.all_errors}
    assert {
        (3, "招商方式"),
        (3, "行业代码"),
        (3, "计划投资"),
        (3, "乡镇"),
        (4, "约定投产日期"),
        (5, "项目编号"),
    } <= set(found)
    assert found[(3, "招商方式")].startswith("“打高尔夫”不在可选项中")
    assert found[(3, "计划投资")] == "“三千”不是数字"
    assert found[(3, "乡镇")].startswith("“乙镇”不在可选项中")
    assert found[(4, "约定投产日期")] == "不能早于约定开工日期 2026-05-01"
    assert "不在您的职责范围内" in found[(5, "项目编号")]
    assert not Project.objects.exists()
    assert not AuditEvent.objects.filter(target_type="projects.project").exists()


def test_an_import_does_not_rewrite_what_a_move_recorded(county: Any) -> None:
    p = signed_project(county)
    coordinator = principal_for(county.coordinator)
    (row,) = _rows(imports.export("projects", coordinator))
    assert (row["项目编号"], row["合同金额"], row["阶段"]) == (p.pk, 28000, "签约")
    row["合同金额"] = 30000
    plan = imports.check("projects", _fill("projects", [row], coordinator), "改.xlsx", coordinator)
    assert [(e.row, e.column) for e in plan.all_errors] == [(2, "合同金额")]
    assert "已签约" in plan.all_errors[0].message


def test_follow_up_import_creates_audited_rows_once(county: Any) -> None:
    mine = make_project(county, county.coordinator, name="甲镇项目")
    theirs = make_project(county, county.coordinator, town=county.town_b, name="乙镇项目")
    staff_a = principal_for(county.staff_a)
    rows = [
        {
            "项目编号": mine.pk,
            "项目名称": "甲镇项目",
            "日期": "2026-01-05",
            "跟进情况": "电话沟通用地需求",
            "下一步": "实地踏勘",
            "下一步日期": "2026-01-20",
        },
        {"项目编号": mine.pk, "日期": "2026-01-20", "跟进情况": "陪同踏勘地块"},
    ]
    data = _fill("follow_ups", rows, staff_a)
    plan = imports.commit("follow_ups", data, "跟进.xlsx", staff_a)
    assert _counts(plan) == (2, 0, 0, 0)
    made = FollowUp.objects.filter(project=mine).order_by("on")
    assert [(f.what, f.by_id) for f in made] == [
        ("电话沟通用地需求", county.staff_a.pk),
        ("陪同踏勘地块", county.staff_a.pk),
    ]
    assert made[0].next_date == dt.date(2026, 1, 20)
    events = AuditEvent.objects.filter(target_type="projects.followup", action="create")
    assert sorted(int(e.target_id) for e in events) == sorted(f.pk for f in made)
    assert _counts(imports.check("follow_ups", data, "跟进.xlsx", staff_a)) == (0, 0, 2, 0)
    assert _counts(
        imports.check("follow_ups", imports.export("follow_ups", staff_a), "导出.xlsx", staff_a)
    ) == (
        0,
        0,
        2,
        0,
    )

    bad = [
        {"项目编号": theirs.pk, "日期": "2026-01-05", "跟进情况": "越权登记"},
        {"项目编号": mine.pk, "日期": "2026-02-05", "跟进情况": "x", "下一步日期": "2026-02-01"},
        {"项目编号": mine.pk, "日期": "明天", "跟进情况": ""},
    ]
    plan = imports.commit("follow_ups", _fill("follow_ups", bad, staff_a), "坏.xlsx", staff_a)
    found = {(e.row, e.column): e.message for e in plan.all_errors}
    assert "不在您的职责范围内" in found[(2, "项目编号")]
    assert found[(3, "下一步日期")] == "不能早于本次跟进日期"
    assert found[(4, "日期")] == "“明天”不是日期，请写成 2021-03-15" and found[(4, "跟进情况")] == "必填"
    assert FollowUp.objects.count() == 2


def test_exports_hold_what_the_user_sees(client: Any, county: Any) -> None:
    mine = make_project(county, county.coordinator, name="甲镇项目")
    theirs = make_project(county, county.coordinator, town=county.town_b, name="乙镇项目")
    for p in (mine, theirs):
        services.follow_up_add(principal_for(county.coordinator), p, on=TODAY, what=f"{p.name}洽谈")
    staff_a = principal_for(county.staff_a)
    assert [r["项目名称"] for r in _rows(imports.export("projects", staff_a))] == ["甲镇项目"]
    assert [r["跟进情况"] for r in _rows(imports.export("follow_ups", staff_a))] == ["甲镇项目洽谈"]

    client.force_login(county.staff_a)
    page = client.get("/projects/").content.decode()
    assert "/projects/sheets/projects.xlsx" in page and "/enterprises/import/?kind=projects" in page
    response = client.get("/projects/sheets/projects.xlsx")
    assert response.status_code == 200
    assert [r["项目名称"] for r in _rows(response.content)] == ["甲镇项目"]
    response = client.get("/projects/sheets/follow_ups.xlsx?q=乙镇")
    assert _rows(response.content) == []
    assert client.get("/projects/sheets/nothing.xlsx").status_code == 404
    assert AuditEvent.objects.filter(action="export", target_type="projects.followup").count() == 1


def test_the_shared_import_pages_take_projects(client: Any, county: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhaoshang.core.models import ImportBatch

    client.force_login(county.staff_a)
    template = client.get("/enterprises/templates/projects.xlsx")
    assert template.status_code == 200 and "项目编号" in [_header(h) for h in _rows_header(template.content)]
    data = _fill("projects", [LEADS[1]], principal_for(county.staff_a))
    response = client.post(
        "/enterprises/import/", {"kind": "projects", "file": SimpleUploadedFile("项目.xlsx", data)}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportBatch.Status.READY, batch.report
    client.post(f"/enterprises/import/{batch.pk}/commit/")
    made = Project.objects.get(name="食品加工项目")
    event = AuditEvent.objects.get(target_type="projects.project", target_id=str(made.pk))
    assert (made.stage, event.actor_id) == ("lead", county.staff_a.pk)


def _rows_header(data: bytes) -> list[Any]:
    return [c.value for c in load_workbook(io.BytesIO(data)).active[1]]


def test_a_project_in_a_standard_building_is_imported_and_exported_as_such(county: Any) -> None:
    """入驻标准厂房 travels through the sheet both ways (the pre-review's 20 亩 exemption depends on it)."""
    coordinator = principal_for(county.coordinator)
    row = LEADS[1] | {"项目名称": "电子元件组装项目", "入驻标准厂房": "是"}
    imports.commit("projects", _fill("projects", [row], coordinator), "项目.xlsx", coordinator)
    assert Project.objects.get(name="电子元件组装项目").in_standard_building is True
    exported = {r["项目名称"]: r for r in _rows(imports.export("projects", coordinator))}
    assert exported["电子元件组装项目"]["入驻标准厂房"] == "是"
