"""Qualifications carry their award and expiry dates: the plain many-to-many table becomes a model.

The table and its rows stay as they are (state only); the two date columns are then added.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0008_enterpriseyear_county_retained_tax"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EnterpriseQualification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "enterprise",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="enterprises.enterprise",
                                verbose_name="企业",
                            ),
                        ),
                        (
                            "qualification",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="enterprises.qualification",
                                verbose_name="资质",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "企业资质",
                        "db_table": "enterprises_enterprise_qualifications",
                        "unique_together": {("enterprise", "qualification")},
                    },
                ),
                migrations.AlterField(
                    model_name="enterprise",
                    name="qualifications",
                    field=models.ManyToManyField(
                        blank=True,
                        through="enterprises.EnterpriseQualification",
                        to="enterprises.qualification",
                        verbose_name="资质",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="enterprisequalification",
            name="awarded_on",
            field=models.DateField(blank=True, null=True, verbose_name="认定日期"),
        ),
        migrations.AddField(
            model_name="enterprisequalification",
            name="expires_on",
            field=models.DateField(blank=True, null=True, verbose_name="有效期至"),
        ),
    ]
