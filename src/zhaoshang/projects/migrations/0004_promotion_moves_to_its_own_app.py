"""The promotion library moves to the `promotion` app: its models leave this app's state only.

The tables stay where they are, under their names (`promotion` sets `db_table`), so no row moves.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_review_facts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="promotionproject", name="project"),
                migrations.RemoveField(model_name="promotionproject", name="unit"),
                migrations.DeleteModel(name="PromotionFile"),
                migrations.DeleteModel(name="PromotionProject"),
            ],
            database_operations=[],
        ),
    ]
