"""The choices of the outreach records, and the county scope they share."""

from __future__ import annotations

from zhaoshang.core.scoping import ScopeRule

CONTACT_KINDS = [
    ("chamber", "商会"),
    ("association", "行业协会"),
    ("agent", "中介机构"),
    ("hometown", "乡友企业家"),
    ("investor", "投资机构"),
    ("decision_maker", "企业决策人"),
    ("person", "个人"),
]
# The kinds that count as "a chamber or association" for the links speech 000 prescribes.
CHAMBERS = ("chamber", "association")
# The regions of speech 000's four overseas offices, and any other.
REGIONS = [
    ("yangtze", "长三角"),
    ("bohai", "环渤海"),
    ("pearl", "泛珠三角"),
    ("chengyu", "成渝"),
    ("other", "其他地区"),
]
ENCOUNTER_KINDS = [("meeting", "会商"), ("call", "电话联系"), ("visit", "登门拜访"), ("other", "其他")]
EVENT_KINDS = [
    ("expo", "推介会"),
    ("signing", "签约仪式"),
    ("start", "集中开工仪式"),
    ("completion", "集中竣工仪式"),
]
EVENT_ROLES = [("signed", "签约"), ("started", "开工"), ("completed", "竣工")]
CLAIM_STATUSES = [
    ("claimed", "已申报"),
    ("verified", "已核实"),
    ("recognised", "已认定"),
    ("refused", "不予认定"),
]
OPEN_CLAIMS = ("claimed", "verified")
ACTIVITIES = [
    ("trip", "外出招商"),
    ("visit", "接待来访"),
    ("meeting", "会商"),
    ("time_share", "招商时间占比"),
]
PERIODS = [("week", "每周"), ("month", "每月"), ("quarter", "每季度")]

COUNTY_SCOPE = ScopeRule(unit_path="county__path", covering="county__path")
