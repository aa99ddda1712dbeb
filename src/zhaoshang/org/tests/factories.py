"""Factories for every model of core and org. Units are built through the service so their paths are right."""

from __future__ import annotations

from typing import Any

import factory

from zhaoshang.core import jobs
from zhaoshang.core.models import Job, Notification
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.core.roles import Role
from zhaoshang.org import services
from zhaoshang.org.models import ApiToken, Leader, Membership, Unit, UnitKind, User

PASSWORD = "Correct-Horse-77"


class UnitKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitKind
        django_get_or_create = ("code",)

    code = "town"
    name = factory.LazyAttribute(
        lambda o: {"county": "县", "town": "乡镇/街道", "department": "部门"}.get(o.code, o.code)
    )
    is_jurisdiction = factory.LazyAttribute(lambda o: o.code in {"province", "city", "county"})


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"单位{n}")
    kind = factory.SubFactory(UnitKindFactory)
    parent = None

    @classmethod
    def _create(cls, model_class: type[Unit], *args: Any, **kwargs: Any) -> Unit:
        return services.unit_create(by=SYSTEM, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _saved(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.UNIT_STAFF


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory, kind=factory.SubFactory(UnitKindFactory, code="county"))
    title = "副县长"


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "测试令牌"
    prefix = factory.Sequence(lambda n: f"{n:08d}")
    key_hash = factory.Sequence(lambda n: f"{n:064d}")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    title = factory.Sequence(lambda n: f"通知{n}")
    dedupe_key = factory.Sequence(lambda n: f"k{n}")
    day = factory.Faker("date_object")


@jobs.job("test.count")
def _count_job(run: jobs.JobRun) -> dict[str, Any]:
    total = int(run.params.get("n", 3))
    for i in range(1, total + 1):
        run.progress(i, total, "计数")
    return {"counted": total}


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "test.count"
    params = factory.LazyFunction(lambda: {"n": 3})
    key = factory.Sequence(lambda n: f"job-{n}")
