"""The qualifications a county tracks from day one; more can be added as rows."""

from __future__ import annotations

from zhaoshang.enterprises.models import Qualification

DEFAULTS = [
    ("high_tech", "高新技术企业", 10),
    ("specialised_province", "省级专精特新", 20),
    ("little_giant", "国家级专精特新“小巨人”", 30),
    ("tech_sme", "科技型中小企业", 40),
    ("tech_center_province", "省级企业技术中心", 50),
]


def ensure_defaults() -> dict[str, Qualification]:
    for code, name, order in DEFAULTS:
        Qualification.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    return {q.code: q for q in Qualification.objects.all()}
