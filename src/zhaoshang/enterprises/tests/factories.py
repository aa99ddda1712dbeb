from __future__ import annotations

import itertools
from decimal import Decimal

import factory

from zhaoshang.core import uscc
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear, Qualification, year_above_scale
from zhaoshang.org.tests.factories import UnitFactory, UnitKindFactory

_serial = itertools.count(1)


def make_uscc(n: int | None = None) -> str:
    """A well-formed code with a correct check character (GB 11714 part not guaranteed)."""
    body = f"9133{(n if n is not None else next(_serial)):013d}"
    return body + uscc.check_character(body)


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification
        django_get_or_create = ("code",)

    code = "high_tech"
    name = "高新技术企业"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.LazyFunction(make_uscc)
    name = factory.Sequence(lambda n: f"示范企业{n}有限公司")
    name_initials = "sfqyyxgs"
    industry_code = "3011"
    industry_section = "C"
    town = factory.SubFactory(UnitFactory, kind=factory.SubFactory(UnitKindFactory, code="town"))


class EnterpriseYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseYear

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2024
    output_value = Decimal("1000.0000")
    revenue = Decimal("950.0000")
    tax = Decimal("30.0000")
    scale_override = ""
    # As the service derives it when a year is saved.
    above_scale = factory.LazyAttribute(lambda o: year_above_scale(o.revenue, o.scale_override))
