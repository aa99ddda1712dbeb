"""The chains as spreadsheets: chains, nodes, placements and target companies go round (template →
import → export → import again changes nothing), bad rows are named in Chinese with nothing written,
another county's chain is refused, and every imported row leaves one audit event."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.chains import services
from zhaoshang.chains.models import Chain, ChainNode, Cluster, NodeEnterprise, NodeProject, TargetCompany
from zhaoshang.chains.tests.helpers import chain, node
from zhaoshang.core import audit, imports
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, make_uscc
from zhaoshang.org.models import Leader
from zhaoshang.org.principal import principal_for
from zhaoshang.org.tests.factories import MembershipFactory, UnitFactory, UnitKindFactory, UserFactory
from zhaoshang.projects.tests.helpers import make_project

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


def _table(headers: str, *rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Rows given as cells under the headers, an empty cell as None."""
    keys = headers.split()
    return [{k: v for k, v in zip(keys, row, strict=False) if v is not None} for row in rows]


def _rows(data: bytes) -> list[dict[str, Any]]:
    table = list(load_workbook(io.BytesIO(data)).active.values)
    headers = [_header(h) for h in table[0]]
    return [dict(zip(headers, row, strict=True)) for row in table[1:]]


def _counts(plan: imports.Plan) -> tuple[int, int, int, int]:
    r = plan.report()
    return r["new"], r["changed"], r["unchanged"], r["error_count"]


def _errors(plan: imports.Plan) -> dict[tuple[int, str], str]:
    return {(e.row, e.column): e.message for e in plan.all_errors}


def _last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _one_event_a_row(since: int, rows: int) -> list[AuditEvent]:
    """The events written after `since`: one for each imported row (2, 3, …), naming it."""
    events = list(AuditEvent.objects.filter(seq__gt=since).order_by("seq"))
    assert sorted(int(re.match(r"导入第 (\d+) 行", e.reason)[1]) for e in events) == list(  # type: ignore[index]
        range(2, rows + 2)
    )
    return events


def _round_trip(kind: str, by: Any, rows: int) -> None:
    """The export of what was imported imports again with nothing new and nothing changed."""
    exported = imports.export(kind, by)
    assert len(_rows(exported)) == rows
    assert _counts(imports.check(kind, exported, "导出.xlsx", by)) == (0, 0, rows, 0)


def _other_county() -> Any:
    """乙县, with its bureau, its leader and its own 智能制造 chain (the same name as 测试县's)."""
    county = UnitFactory(name="乙县", kind=UnitKindFactory(code="county"))
    bureau = UnitFactory(name="乙县招商局", kind=UnitKindFactory(code="department"), parent=county)
    boss = UserFactory(username="leader_b", display_name="乙县领导")
    MembershipFactory(user=boss, unit=county, role=Role.LEADER)
    Leader.objects.create(user=boss, unit=county, title="县长")
    c = services.chain_create(
        SYSTEM, county, name="智能制造", chief=boss, lead_unit=bureau, output_target=Decimal(1000)
    )
    n = services.node_create(SYSTEM, c, segment="upstream", name="乙县环节")
    services.target_create(SYSTEM, c, node=n, name="乙县目标企业", leader=boss)
    return c


FIGURES = ("500,000", 10000, 300, "15.5", 0.25, 45)  # 万元, the four thresholds, days
CHAINS = _table(
    "产业链名称 产业集群 链长 牵头单位 责任单位 年度产值目标 准入：计划投资不低于 准入：投资强度不低于"
    " 准入：亩均税收不低于 准入：单位产值能耗不高于 目标企业停滞提醒",
    ("智能制造", "先进制造产业集群", "leader", "测试县招商局", "甲镇、乙镇", *FIGURES),
    ("新型建材", None, "leader", "甲镇"),
)


def test_chains_go_round_and_a_change_is_audited(county: Any) -> None:
    Cluster.objects.create(county=county.county, name="先进制造产业集群", output_target=Decimal(2000000))
    coordinator = principal_for(county.coordinator)
    data = _fill("chains", CHAINS, coordinator)
    assert _counts(imports.check("chains", data, "产业链.xlsx", coordinator)) == (2, 0, 0, 0)
    assert not Chain.objects.exists()  # a dry run writes nothing
    since = _last_seq()
    imports.commit("chains", data, "产业链.xlsx", coordinator)
    made = Chain.objects.get(name="智能制造")
    assert (made.county, made.chief, made.lead_unit) == (county.county, county.leader, county.bureau)
    assert made.cluster is not None and made.cluster.name == "先进制造产业集群"
    numbers = (made.output_target, made.min_tax_per_mu, made.max_energy_per_output)
    assert numbers == (Decimal(500000), Decimal("15.5"), Decimal("0.25"))
    assert made.target_stale_days == 45 and set(made.member_units.all()) == {county.town_a, county.town_b}
    assert Chain.objects.get(name="新型建材").target_stale_days == 60
    events = _one_event_a_row(since, 2)
    assert {e.action for e in events} == {"create"} and events[0].after["member_units"] == ["乙镇", "甲镇"]

    _round_trip("chains", coordinator, 2)
    assert _counts(imports.check("chains", data, "产业链.xlsx", coordinator)) == (0, 0, 2, 0)
    rows = _rows(imports.export("chains", coordinator))
    rows[0] |= {"目标企业停滞提醒": 30, "责任单位": "甲镇"}
    since = _last_seq()
    plan = imports.commit("chains", _fill("chains", rows, coordinator), "改.xlsx", coordinator)
    assert _counts(plan) == (0, 1, 1, 0)
    made.refresh_from_db()
    assert (made.target_stale_days, made.version) == (30, 2)
    assert list(made.member_units.all()) == [county.town_a]
    (change,) = AuditEvent.objects.filter(seq__gt=since)
    assert (change.action, change.reason) == ("update", "导入第 2 行")
    assert change.after == {"target_stale_days": 30, "member_units": ["甲镇"]}
    assert audit.verify().ok


def test_nodes_go_round_with_parents_from_the_same_file(county: Any) -> None:
    c = chain(county)
    machine = node(c)  # 数控机床, 断点（缺失）
    coordinator = principal_for(county.coordinator)
    rows = _table(
        "产业链 上级环节 链段 环节名称 行业代码 关键词 环节状态 状态依据",
        ("智能制造", "核心零部件", "上游", "精密轴承", None, None, "断点（缺失）"),
        ("智能制造", None, "上游", "核心零部件", "C3421、3491", "轴承，齿轮", "强链", "有龙头企业 3 家"),
        ("智能制造", None, "中游", "数控机床", None, None, "补链(薄弱)", "有 1 家企业"),
    )
    data = _fill("chain-nodes", rows, coordinator)
    assert _counts(imports.check("chain-nodes", data, "环节.xlsx", coordinator)) == (2, 1, 0, 0)
    since = _last_seq()
    imports.commit("chain-nodes", data, "环节.xlsx", coordinator)
    core = ChainNode.objects.get(name="核心零部件")
    bearing = ChainNode.objects.get(name="精密轴承")
    assert (bearing.parent, bearing.status, bearing.segment) == (core, "missing", "upstream")
    assert (core.industry_codes, core.keywords, core.status) == ("3421,3491", "轴承,齿轮", "strong")
    machine.refresh_from_db()
    assert (machine.status, machine.status_reason) == ("weak", "有 1 家企业")
    events = _one_event_a_row(since, 3)
    moved = next(e for e in events if e.target_id == str(machine.pk))
    assert moved.action == "transition" and moved.reason == "导入第 4 行：环节状态：断点（缺失）→补链（薄弱）"

    exported = _rows(imports.export("chain-nodes", coordinator))
    assert {r["环节状态"] for r in exported} == {"强链", "断点（缺失）", "补链（薄弱）"}
    _round_trip("chain-nodes", coordinator, 3)


def test_placements_go_round_by_code_number_and_name(county: Any) -> None:
    c = chain(county)
    n = node(c)
    firms = [EnterpriseFactory(name=f"机床企业{i}", town=county.town_a) for i in range(2)]
    mine = make_project(county, county.coordinator, name="精密数控机床项目")
    named = make_project(county, county.coordinator, name="数控刀具项目")
    coordinator = principal_for(county.coordinator)
    rows = _table(
        "产业链 环节 统一社会信用代码 企业名称 项目编号 项目名称",
        ("智能制造", "数控机床", firms[0].uscc, "机床企业0"),
        ("智能制造", "数控机床", firms[1].uscc),
        ("智能制造", "数控机床", None, None, mine.pk),
        ("智能制造", "数控机床", None, None, None, "数控刀具项目"),
    )
    data = _fill("chain-placements", rows, coordinator)
    assert _counts(imports.check("chain-placements", data, "环节企业.xlsx", coordinator)) == (4, 0, 0, 0)
    since = _last_seq()
    imports.commit("chain-placements", data, "环节企业.xlsx", coordinator)
    assert set(NodeEnterprise.objects.filter(node=n).values_list("enterprise_id", flat=True)) == {
        f.pk for f in firms
    }
    assert set(NodeProject.objects.filter(node=n).values_list("project_id", flat=True)) == {mine.pk, named.pk}
    events = _one_event_a_row(since, 4)
    assert {(e.target_type, e.target_id) for e in events[2:]} == {
        ("projects.project", str(mine.pk)),
        ("projects.project", str(named.pk)),
    }
    assert "确认企业在本环节：机床企业0" in events[0].reason

    assert _counts(imports.check("chain-placements", data, "环节企业.xlsx", coordinator)) == (0, 0, 4, 0)
    _round_trip("chain-placements", coordinator, 4)


TARGETS = _table(
    "产业链 环节 企业名称 所在地 企业类别 招商模式 契合理由 责任招商组 联系县领导 对接状态 进入本状态日期 放弃原因",
    ("智能制造", "数控机床", "北京某集团", "北京", "中国500强", "龙头带动", "龙头", "测试县招商局", "leader"),
    ("智能制造", "数控机床", "上海某公司", *[None] * 6, "已拜访", "2025-01-02"),
    ("智能制造", "数控机床", "深圳某公司", *[None] * 6, "已放弃", None, "对方无意向"),
)


def test_targets_go_round_and_an_import_never_moves_a_state(county: Any) -> None:
    c = chain(county)
    node(c)
    coordinator = principal_for(county.coordinator)
    data = _fill("chain-targets", TARGETS, coordinator)
    assert _counts(imports.check("chain-targets", data, "目标企业.xlsx", coordinator)) == (3, 0, 0, 0)
    since = _last_seq()
    imports.commit("chain-targets", data, "目标企业.xlsx", coordinator)
    first = TargetCompany.objects.get(name="北京某集团")
    assert (first.strength, first.mode, first.team, first.leader) == (
        "china500",
        "anchor",
        county.bureau,
        county.leader,
    )
    assert (first.status, first.status_since) == ("not_contacted", TODAY)
    assert TargetCompany.objects.get(name="上海某公司").status_since == dt.date(2025, 1, 2)
    assert county.leader.notifications.filter(kind="chain_target_assigned").count() == 1
    _one_event_a_row(since, 3)
    _round_trip("chain-targets", coordinator, 3)

    rows = _rows(imports.export("chain-targets", coordinator))
    by_name = {r["企业名称"]: r for r in rows}
    by_name["北京某集团"]["所在地"] = "北京海淀"
    by_name["上海某公司"]["对接状态"] = "洽谈中"
    plan = imports.commit("chain-targets", _fill("chain-targets", rows, coordinator), "改.xlsx", coordinator)
    (message,) = [m for (_row, column), m in _errors(plan).items() if column == "对接状态"]
    assert message.startswith("已登记的目标企业不能通过导入变更对接状态（现为“已拜访”，表中为“洽谈中”）")
    first.refresh_from_db()
    assert first.location == "北京"  # one bad row: nothing is written
    by_name["上海某公司"]["对接状态"] = "已拜访"
    plan = imports.commit("chain-targets", _fill("chain-targets", rows, coordinator), "改.xlsx", coordinator)
    assert _counts(plan) == (0, 1, 2, 0)
    first.refresh_from_db()
    assert (first.location, first.version) == ("北京海淀", 2)


def test_bad_rows_are_named_in_chinese_and_nothing_is_written(county: Any) -> None:
    c = chain(county)
    node(c)
    coordinator = principal_for(county.coordinator)
    before = _last_seq()
    bad_chains = [
        CHAINS[1],
        {"产业链名称": "甲", "链长": "不存在的人", "牵头单位": "测试县招商局"},
        {"产业链名称": "乙", "链长": "leader", "牵头单位": "没有的单位"},
        {"产业链名称": "丙", "链长": "leader", "牵头单位": "甲镇", "年度产值目标": -5},
        {"产业链名称": "丁", "链长": "leader", "牵头单位": "甲镇", "产业集群": "没有的集群"},
    ]
    plan = imports.commit("chains", _fill("chains", bad_chains, coordinator), "坏.xlsx", coordinator)
    found = _errors(plan)
    assert found[(3, "链长")] == "“不存在的人”不是测试县的县级领导（可填名称或用户名）"
    assert found[(4, "牵头单位")].startswith("“没有的单位”不在可选项中")
    assert found[(5, "年度产值目标")] == "不能小于 0"
    assert found[(6, "产业集群")] == "测试县没有名为“没有的集群”的产业集群"
    assert plan.bad_rows == 4 and plan.report()["rows"] == 5

    bad_nodes = _table(
        "产业链 链段 环节名称 环节状态 行业代码 上级环节",
        ("没有的链", "上游", "甲"),
        ("智能制造", "上上游", "乙", "很强", "9999"),
        ("智能制造", "上游", "丙", None, None, "没有的环节"),
        ("智能制造", "中游", "数控机床", "强链"),
    )
    found = _errors(
        imports.commit("chain-nodes", _fill("chain-nodes", bad_nodes, coordinator), "坏.xlsx", coordinator)
    )
    assert found[(2, "产业链")] == "没有名为“没有的链”的产业链，请先导入或设立产业链"
    assert found[(3, "链段")].startswith("“上上游”不在可选项中")
    assert found[(3, "环节状态")] == "“很强”不在可选项中（强链、补链（薄弱）、断点（缺失））"
    assert found[(3, "行业代码")] == "“9999”不是 GB/T 4754-2017 中的行业代码"
    assert found[(4, "上级环节")] == "产业链“智能制造”没有名为“没有的环节”的环节，请先导入环节"
    assert found[(5, "状态依据")] == "变更环节状态须写明状态依据"

    bad_placements = _table(
        "产业链 环节 统一社会信用代码 项目编号",
        ("智能制造", "数控机床", make_uscc(424242)),
        ("智能制造", "没有的环节", None, 1),
        ("智能制造", "数控机床", None, 99999),
        ("智能制造", "数控机床", make_uscc(1), 2),
        ("智能制造", "数控机床"),
    )
    data = _fill("chain-placements", bad_placements, coordinator)
    found = _errors(imports.commit("chain-placements", data, "坏.xlsx", coordinator))
    assert found[(2, "统一社会信用代码")].startswith(
        f"测试县没有统一社会信用代码为 {make_uscc(424242)} 的企业"
    )
    assert found[(3, "环节")] == "产业链“智能制造”没有名为“没有的环节”的环节，请先导入环节"
    assert found[(4, "项目编号")] == "没有编号为 99999 的项目，或该项目不在您的查看范围内"
    assert found[(5, "统一社会信用代码")] == "一行只能填写一家企业或一个项目，请分行填写"
    assert found[(6, "统一社会信用代码")] == "请填写企业的统一社会信用代码，或项目编号（二选一）"

    bad_targets = _table(
        "产业链 环节 企业名称 对接状态 联系县领导 企业类别 进入本状态日期",
        ("智能制造", "数控机床", "甲公司", "已转为项目"),
        ("智能制造", "数控机床", "乙公司", "已放弃", "张三"),
        ("智能制造", "数控机床", "丙公司", None, None, "小微"),
        ("智能制造", "数控机床", "丁公司", None, None, None, "2099-01-01"),
    )
    found = _errors(
        imports.commit(
            "chain-targets", _fill("chain-targets", bad_targets, coordinator), "坏.xlsx", coordinator
        )
    )
    assert found[(2, "对接状态")] == "“已转为项目”只能在目标企业页面转为项目时登记，不能通过导入登记"
    assert found[(3, "联系县领导")] == "“张三”不是测试县的县级领导（可填名称或用户名）"
    assert found[(3, "放弃原因")] == "状态为“已放弃”时须写明放弃原因"
    assert found[(4, "企业类别")].startswith("“小微”不在可选项中")
    assert found[(5, "进入本状态日期")] == "不能晚于今天"

    assert _last_seq() == before  # no row of any file was written
    assert Chain.objects.count() == 1 and ChainNode.objects.count() == 1
    assert not TargetCompany.objects.exists() and not NodeEnterprise.objects.exists()


def test_another_county_s_chain_is_refused_and_same_names_stay_apart(county: Any, tmp_path: Path) -> None:
    ours = chain(county)
    node(ours)
    theirs = _other_county()
    coordinator = principal_for(county.coordinator)
    theirs_row = {"产业链名称": "乙县农业", "链长": "leader_b", "牵头单位": "乙县招商局"}
    services.chain_create(
        SYSTEM, theirs.county, name="乙县农业", chief=theirs.chief, lead_unit=theirs.lead_unit
    )
    plan = imports.commit("chains", _fill("chains", [theirs_row], coordinator), "越权.xlsx", coordinator)
    assert _errors(plan)[(2, "产业链名称")] == "产业链“乙县农业”属于其他县，不在您的职责范围内，不能导入"
    rows = [
        {"产业链": "乙县农业", "链段": "上游", "环节名称": "越权环节"},
        {"产业链": "智能制造", "链段": "下游", "环节名称": "系统集成"},  # 测试县's own 智能制造
    ]
    plan = imports.check("chain-nodes", _fill("chain-nodes", rows, coordinator), "越权.xlsx", coordinator)
    assert _errors(plan) == {(2, "产业链"): "产业链“乙县农业”属于其他县，不在您的职责范围内，不能导入"}
    assert [c.key[0] for c in plan.changes] == [ours.pk]
    # A town's staff read the county's chains but do not run them.
    staff = principal_for(county.staff_a)
    plan = imports.check("chain-nodes", _fill("chain-nodes", rows[1:], staff), "越权.xlsx", staff)
    assert _errors(plan)[(2, "产业链")].startswith("您无权修改该产业链")
    assert not ChainNode.objects.filter(name__in=["越权环节", "系统集成"]).exists()

    # The system sees both 智能制造: each is written with its county, and every kind goes round.
    assert {r["产业链"] for r in _rows(imports.export("chain-nodes", SYSTEM))} == {
        "测试县/智能制造",
        "乙县/智能制造",
    }
    for kind in ("chains", "chain-nodes", "chain-placements", "chain-targets"):
        out = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, str(out))
        text = io.StringIO()
        call_command("import", kind, str(out), "--quiet", stdout=text)
        assert "新增 0，修改 0" in text.getvalue(), (kind, text.getvalue())


def test_the_import_page_and_the_command_line_list_the_chain_kinds(
    client: Any, county: Any, tmp_path: Path
) -> None:
    client.force_login(county.coordinator)
    page = client.get("/enterprises/import/").content.decode()
    for label in ("产业链", "产业链环节", "环节企业和项目", "目标企业"):
        assert f"{label}模板.xlsx" in page
    assert client.get("/enterprises/templates/chain-targets.xlsx").status_code == 200
    call_command("template", "chain-nodes", str(tmp_path / "环节.xlsx"), stdout=io.StringIO())
    ws = load_workbook(tmp_path / "环节.xlsx").active
    headers = "产业链 上级环节 链段 环节名称 行业代码 关键词 环节状态 状态依据"
    assert [_header(c.value) for c in ws[1]] == headers.split()
    with pytest.raises(imports.FileProblem, match="chain-targets（目标企业）"):
        imports.importer_for("chain")
