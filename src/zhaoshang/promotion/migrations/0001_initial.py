"""The promotion library's models, taken over from the projects app in state only.

The tables `projects_promotionproject` and `projects_promotionfile` already exist (projects 0002)
and keep their names and rows; only the content types are renamed, so permissions follow the models.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ("promotionproject", "promotionfile")


def _rename_content_types(apps, schema_editor, source="projects", target="promotion"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=target, model__in=MODELS).exists():
        return  # already created for the new app (e.g. by a post_migrate signal): leave both
    ContentType.objects.filter(app_label=source, model__in=MODELS).update(app_label=target)


def _restore_content_types(apps, schema_editor):
    _rename_content_types(apps, schema_editor, source="promotion", target="projects")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("org", "0002_phone_validator"),
        ("projects", "0004_promotion_moves_to_its_own_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PromotionProject",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="项目名称")),
                        (
                            "industry_code",
                            models.CharField(blank=True, max_length=4, verbose_name="行业代码"),
                        ),
                        (
                            "chain_node",
                            models.CharField(blank=True, max_length=100, verbose_name="产业链环节"),
                        ),
                        (
                            "estimated_investment",
                            models.DecimalField(
                                blank=True,
                                decimal_places=4,
                                max_digits=16,
                                null=True,
                                verbose_name="估算投资（万元）",
                            ),
                        ),
                        (
                            "land_mu",
                            models.DecimalField(
                                blank=True,
                                decimal_places=4,
                                max_digits=12,
                                null=True,
                                verbose_name="用地（亩）",
                            ),
                        ),
                        (
                            "maturity",
                            models.CharField(
                                choices=[
                                    ("idea", "项目构想"),
                                    ("proposal", "项目建议书"),
                                    ("feasibility", "可行性研究"),
                                ],
                                default="idea",
                                max_length=12,
                                verbose_name="策划深度",
                            ),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="项目简介")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("reserve", "储备"),
                                    ("promoting", "推介中"),
                                    ("matched", "已对接"),
                                    ("closed", "已关闭"),
                                ],
                                db_index=True,
                                default="reserve",
                                max_length=10,
                                verbose_name="状态",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "project",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="promotions",
                                to="projects.project",
                                verbose_name="对接项目",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="org.unit",
                                verbose_name="策划单位",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "储备项目",
                        "db_table": "projects_promotionproject",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="PromotionFile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("filename", models.CharField(max_length=200, verbose_name="文件名")),
                        ("content", models.BinaryField()),
                        ("size", models.PositiveIntegerField()),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "promotion",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="files",
                                to="promotion.promotionproject",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "projects_promotionfile",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_rename_content_types, _restore_content_types),
    ]
