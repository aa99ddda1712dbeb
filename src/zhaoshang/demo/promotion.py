"""About 30 proposals in the demo county's 项目储备库, along its chains, built through the services.

Speech 002 asks for proposals at least at 项目建议书 depth and, where possible, 可研: most are
建议书, a third 可研, a few still ideas. Some are being promoted, a few matched to demo projects
that came of them, and a few closed for a reason.
"""

from __future__ import annotations

import random
from decimal import Decimal

from zhaoshang.core.permissions import SYSTEM
from zhaoshang.org.models import Unit
from zhaoshang.projects.engines.lifecycle import Stage
from zhaoshang.projects.models import Project
from zhaoshang.promotion import services

# (chain, node, industry code, proposal, investment 万元, land 亩)
PROPOSALS = [
    ("冶金及有色金属加工", "上游·冶炼", "3217", "年产 5 万吨金属镁项目", 150000, 400),
    ("冶金及有色金属加工", "中游·合金", "3217", "镁合金压铸件项目", 60000, 120),
    ("冶金及有色金属加工", "上游·冶炼", "3218", "年产 10 万吨工业硅项目", 120000, 300),
    ("冶金及有色金属加工", "下游·深加工", "3218", "有机硅单体及下游制品项目", 90000, 200),
    ("冶金及有色金属加工", "中游·冶炼", "3140", "不锈钢冶炼及连铸项目", 200000, 500),
    ("冶金及有色金属加工", "下游·制品", "3130", "不锈钢精密带材及制品加工项目", 80000, 150),
    ("冶金及有色金属加工", "下游·制品", "3251", "高精度铜板带项目", 45000, 90),
    ("冶金及有色金属加工", "下游·制品", "3216", "再生铝及铝型材项目", 30000, 80),
    ("水泥建材", "下游·新型建材", "3099", "微晶纳米装饰材料项目", 50000, 100),
    ("水泥建材", "中游·制品", "3011", "水泥窑协同处置固废项目", 25000, 40),
    ("水泥建材", "下游·新型建材", "3062", "玻璃钢管道及构件项目", 15000, 50),
    ("水泥建材", "下游·装配式", "3032", "装配式建筑构件生产基地项目", 40000, 120),
    ("循环经济", "回收利用", "4210", "废钢铁加工配送中心项目", 12000, 60),
    ("循环经济", "回收利用", "4220", "废旧塑料再生利用项目", 8000, 30),
    ("循环经济", "资源化", "4210", "报废汽车拆解及再生资源项目", 10000, 50),
    ("智能制造", "中游·装备", "3421", "数控机床整机制造项目", 35000, 80),
    ("智能制造", "中游·装备", "3491", "工业机器人本体及集成项目", 50000, 100),
    ("智能制造", "上游·零部件", "3525", "精密模具产业园项目", 30000, 90),
    ("新能源", "中游·电池", "3841", "锂离子电池模组及储能项目", 100000, 200),
    ("新能源", "配套·输变电", "3821", "变压器及智能配电设备项目", 20000, 50),
    ("医药医疗", "上游·原料药", "2710", "化学原料药生产基地项目", 60000, 150),
    ("医药医疗", "中游·中成药", "2740", "中药饮片及中成药项目", 25000, 60),
    ("医药医疗", "下游·器械", "3581", "医用诊断设备组装项目", 18000, 30),
    ("化工", "中游·精细化工", "2614", "精细化工中间体项目", 40000, 120),
    ("现代农业", "加工·果蔬", "1371", "高原夏菜冷链加工项目", 8000, 40),
    ("现代农业", "加工·淀粉", "1391", "马铃薯全粉及淀粉项目", 15000, 60),
    ("农特产品加工", "加工·茶叶", "1530", "茶叶精深加工及茶旅融合项目", 6000, 35),
    ("旅游康养", "加工·酒饮", "1512", "白酒酿造及文化体验园项目", 30000, 100),
    ("箱板包装", "中游·纸板", "2221", "高强瓦楞原纸项目", 40000, 120),
    ("箱板包装", "下游·包装", "2231", "电商物流包装制品项目", 10000, 40),
]
MATURITY_MIX = ["proposal"] * 5 + ["feasibility"] * 3 + ["idea"] * 2
CLOSE_REASONS = ["环保容量不足，暂缓推介", "产业政策调整，不再列入储备", "与已落地项目重复，合并推介"]


def build_promotions(units: list[Unit], seed: int) -> int:
    """Proposals for the demo chains; a few are matched to demo projects past negotiation."""
    rng = random.Random(seed)
    matchable = list(
        Project.objects.exclude(stage__in=[Stage.LEAD.value, Stage.DROPPED.value]).order_by("pk")[:40]
    )
    for n, (chain, node, code, name, investment, land) in enumerate(PROPOSALS):
        promotion = services.promotion_create(
            SYSTEM,
            name=name,
            unit=rng.choice(units),
            industry_code=code,
            chain_node=f"{chain}产业链·{node}",
            estimated_investment=Decimal(investment),
            land_mu=Decimal(land),
            maturity=MATURITY_MIX[n % len(MATURITY_MIX)],
            description=(
                f"围绕{chain}产业链{node.split('·')[-1]}环节补链延链，"
                f"估算总投资 {investment} 万元，拟用地 {land} 亩，面向长三角、珠三角转移企业推介。"
            ),
        )
        fate = n % 6
        if fate in (2, 3, 4):  # half go out to investors
            services.promotion_move(SYSTEM, promotion, "promoting", reason="列入年度招商推介目录")
        if fate == 4 and matchable:
            project = matchable.pop(rng.randrange(len(matchable)))
            services.promotion_move(
                SYSTEM, promotion, "matched", project=project, reason=f"与{project.investor_name}对接成功"
            )
        if fate == 5:
            services.promotion_move(SYSTEM, promotion, "closed", reason=rng.choice(CLOSE_REASONS))
        if promotion.maturity != "idea" and promotion.status != "closed":
            kind = "可行性研究报告" if promotion.maturity == "feasibility" else "项目建议书"
            services.promotion_attach(SYSTEM, promotion, f"{name}{kind}.pdf", b"%PDF-1.4 demo")
    return len(PROPOSALS)
