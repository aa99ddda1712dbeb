"""The demo county's chains: the six of speech 004 and 新型建材 of speech 000, each with its nodes
(some weak, some missing), the county's enterprises and projects placed on them by industry code,
about 80 target companies in every contact state, and twelve months of chief reports."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from zhaoshang.chains import selectors, services
from zhaoshang.chains.models import (
    Chain,
    Cluster,
    Meeting,
    NodeEnterprise,
    NodeProject,
    Report,
    TargetCompany,
)
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org.models import Leader, Unit
from zhaoshang.projects.models import Project

# (chain, cluster, lead unit, output target 万元, [(segment, node, codes, status)])
CHAINS = [
    (
        "循环经济",
        "绿色循环产业集群",
        "示范县发展和改革局",
        600000,
        [
            ("upstream", "废旧物资回收", "4210", "strong"),
            ("midstream", "再生金属冶炼", "4220", "weak"),
            ("downstream", "再生制品", "", "missing"),
        ],
    ),
    (
        "智能制造",
        "先进制造产业集群",
        "示范县经济和信息化局",
        800000,
        [
            ("upstream", "精密零部件", "3421,3491", "strong"),
            ("midstream", "智能装备整机", "3990", "weak"),
            ("midstream", "工业机器人", "", "missing"),
            ("downstream", "系统集成与服务", "3525", "weak"),
        ],
    ),
    (
        "现代农业",
        "农产品精深加工产业集群",
        "示范县发展和改革局",
        400000,
        [
            ("upstream", "种养基地", "", "weak"),
            ("midstream", "果蔬与淀粉加工", "1371,1391", "strong"),
            ("downstream", "茶叶精制与品牌", "1530", "weak"),
        ],
    ),
    (
        "医药医疗",
        "先进制造产业集群",
        "示范县经济和信息化局",
        300000,
        [
            ("upstream", "原料药", "2710", "weak"),
            ("midstream", "中成药", "2740", "strong"),
            ("downstream", "医疗器械", "3581", "missing"),
        ],
    ),
    (
        "电商贸易",
        "商贸物流产业集群",
        "示范县招商局",
        200000,
        [
            ("upstream", "包装制品", "2231,2929", "strong"),
            ("midstream", "仓储物流", "", "missing"),
            ("downstream", "直播电商", "", "weak"),
        ],
    ),
    (
        "旅游康养",
        "商贸物流产业集群",
        "示范县招商局",
        150000,
        [
            ("upstream", "酒饮特产", "1512,1524", "strong"),
            ("downstream", "康养服务", "", "missing"),
        ],
    ),
    (
        "新型建材",
        "新型建材产业集群",
        "示范县经济和信息化局",
        2000000,
        [
            ("upstream", "水泥熟料", "3011", "strong"),
            ("midstream", "装配式构件", "3021,3032", "weak"),
            ("downstream", "新型墙材与功能材料", "3062", "missing"),
        ],
    ),
]
CITIES = ["杭州", "宁波", "苏州", "上海", "深圳", "广州", "北京", "天津", "成都", "重庆", "合肥", "武汉"]
SUFFIXES = ["集团股份有限公司", "科技股份有限公司", "实业有限公司", "控股集团有限公司"]
WORDS = "华远中科恒力瑞泰宏图金桥天合新元博达"
# Contact states in the mix that leaves some of every kind.
STATES = ["not_contacted"] * 4 + ["contacted"] * 3 + ["visited"] * 2 + ["negotiating", "dropped", "converted"]


def build_chains(county: Unit, seed: int) -> int:
    rng = random.Random(seed)
    leaders = list(Leader.objects.filter(unit=county).select_related("user").order_by("rank", "pk"))
    units = {u.name: u for u in Unit.objects.filter(path__startswith=county.path)}
    teams = list(Unit.objects.filter(path__startswith=county.path, kind__code="team").order_by("path"))
    towns = list(Unit.objects.filter(path__startswith=county.path, kind__code="town").order_by("path"))
    clusters: dict[str, Cluster] = {}
    today = timezone.localdate()
    targets = 0
    handed: list[TargetCompany] = []
    for order, (name, cluster_name, lead, target, nodes) in enumerate(CHAINS):
        if cluster_name not in clusters:
            clusters[cluster_name] = Cluster.objects.create(
                county=county, name=cluster_name, output_target=Decimal(2000000)
            )
        chain = services.chain_create(
            SYSTEM,
            county,
            name=name,
            cluster=clusters[cluster_name],
            chief=leaders[order % len(leaders)].user,
            lead_unit=units[lead],
            output_target=Decimal(target),
            min_investment=Decimal(10000) if name in ("智能制造", "新型建材") else None,
            min_intensity=Decimal(300) if name == "智能制造" else None,
            sort_order=order,
        )
        for n, (segment, node_name, codes, status) in enumerate(nodes):
            node = services.node_create(
                SYSTEM,
                chain,
                segment=segment,
                name=node_name,
                industry_codes=codes,
                status=status,
                status_reason={
                    "strong": "本县企业多、产值高",
                    "weak": "企业少、配套不足",
                    "missing": "本县尚无企业",
                }[status],
                sort_order=n,
            )
            if codes:
                q = Enterprise.objects.filter(
                    industry_code__in=node.codes, town__path__startswith=county.path
                )
                NodeEnterprise.objects.bulk_create([NodeEnterprise(node=node, enterprise=e) for e in q])
                projects = Project.objects.filter(industry_code__in=node.codes).order_by("pk")[:8]
                NodeProject.objects.bulk_create([NodeProject(node=node, project=p) for p in projects])
            if status == "strong":
                continue
            for k in range(rng.randint(3, 5)):
                targets += 1
                company = f"{rng.choice(CITIES)}{''.join(rng.sample(WORDS, 2))}{rng.choice(SUFFIXES)}"
                t = services.target_create(
                    SYSTEM,
                    chain,
                    tell=False,
                    on=today - dt.timedelta(days=rng.randint(60, 200)),
                    node=node,
                    name=company,
                    location=company[:2],
                    strength=rng.choice(["global500", "china500", "private500", "leader", "other"]),
                    mode=rng.choice(["anchor", "supporting", "extension"]),
                    fit=f"可补齐{node_name}环节",
                    team=rng.choice(teams) if teams else None,
                    leader=chain.chief,
                )
                handed.append(t)
                state = STATES[(targets + k) % len(STATES)]
                if state == "not_contacted":
                    continue
                step = today - dt.timedelta(days=rng.randint(5, 50))
                if state == "dropped":
                    services.target_move(SYSTEM, t, "dropped", on=step, reason="对方暂无投资计划")
                    continue
                services.target_move(SYSTEM, t, "contacted", on=step)
                if state in ("visited", "negotiating", "converted"):
                    services.target_move(SYSTEM, t, "visited", on=step)
                if state == "negotiating":
                    services.target_move(SYSTEM, t, "negotiating", on=step)
                if state == "converted":
                    services.target_convert(SYSTEM, t, town=rng.choice(towns))
        _reports(chain, county, rng, today)
        _lists(chain, rng, today, [u for u in units.values() if u.kind_id == chain.lead_unit.kind_id])
    services.tell_leaders(handed)  # one message per leader, not one per company
    month = today.replace(day=1)
    services.meeting_schedule(SYSTEM, county, month, month + dt.timedelta(days=24))
    return targets


POLICIES = [
    ("关于加快推进{chain}产业高质量发展的若干政策措施", "县人民政府", "县政发〔2025〕12号"),
    ("{chain}产业链招商引资奖励办法", "县招商引资工作领导小组", "县招领〔2025〕3号"),
]
PROBLEMS = [
    ("链主企业配套企业本地化率低", "in_progress"),
    ("标准厂房供给不足，中小配套企业落地难", "open"),
    ("专业技术工人招聘难", "solved"),
]


def _lists(chain: Chain, rng: random.Random, today: dt.date, units: list[Unit]) -> None:
    """The chain's policies and problems (one past its deadline, one solved) and its work plan in two versions."""
    for title, issuer, number in POLICIES:
        services.policy_add(
            SYSTEM,
            chain,
            title=title.format(chain=chain.name),
            issuer=issuer,
            document_no=number,
            valid_until=dt.date(today.year + 2, 12, 31),
            summary="对列入本产业链的新引进项目给予固定资产投资、厂房租金和人才引进支持。",
        )
    for k, (title, status) in enumerate(PROBLEMS):
        raised = today - dt.timedelta(days=90 - 20 * k)
        problem = services.problem_raise(
            SYSTEM,
            chain,
            title=title,
            description=f"{chain.name}产业链推进会上提出。",
            owner_unit=chain.lead_unit if k != 1 or not units else rng.choice(units),
            deadline=raised + dt.timedelta(days=45 + 30 * k),
            raised_on=raised,
        )
        if status != "open":
            services.problem_progress(
                SYSTEM,
                problem,
                status,
                "已协调相关部门，正在推进。" if status == "in_progress" else "已协调解决。",
            )
    goals = f"全年{chain.name}产业链产值增长 10% 以上，新引进亿元以上项目 3 个。"
    measures = "一、绘制产业链图谱，梳理断点环节；\n二、每月赴长三角、珠三角开展精准招商；\n三、落实链主企业联系服务制度。"
    plan = services.plan_save(SYSTEM, chain, today.year, goals=goals, measures=measures, note="年初制定")
    services.plan_save(
        SYSTEM,
        chain,
        today.year,
        goals=plan.goals,
        measures=measures + "\n四、对停滞 60 天以上的目标企业逐一约谈责任招商组。",
        targets=selectors.target_roster(chain),
        note="年中调整：增加目标企业跟踪措施",
    )


def _reports(chain: Chain, county: Unit, rng: random.Random, today: dt.date) -> None:
    """Twelve months of reports, committing the chain's projects; some kept, some broken, a few late."""
    projects = list(Project.objects.filter(chain_nodes__node__chain=chain).distinct().order_by("pk"))
    month = today.replace(day=1)
    for back in range(12, 0, -1):
        first = month
        for _ in range(back):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        meeting = Meeting.objects.get_or_create(
            county=county, month=first, defaults={"due_on": first + dt.timedelta(days=24)}
        )[0]
        late = rng.random() < 0.15
        at = timezone.make_aware(
            dt.datetime.combine(first + dt.timedelta(days=27 if late else 20), dt.time(10))
        )
        committed = rng.sample(projects, min(len(projects), rng.randint(0, 2)))
        services.report_file(
            SYSTEM,
            chain,
            first,
            at=at,
            commitments=[
                (p, "sign" if p.signed_on is None or rng.random() < 0.5 else "land") for p in committed
            ],
            achievements=f"{first:%m}月走访目标企业 {rng.randint(2, 8)} 家，新签约项目 {rng.randint(0, 2)} 个。",
            shortfalls="重大项目储备不足，配套环节仍有断点。",
            causes="招商力量分散，要素保障不到位。",
            plan="赴长三角开展产业链精准招商，推动在谈项目签约落地。",
        )
        if meeting.held_on is None:
            services.meeting_held(SYSTEM, meeting, first + dt.timedelta(days=28))
    assert Report.objects.filter(chain=chain).count() == 12
