from django.db import migrations

DEFAULTS = [
    ("high_tech", "高新技术企业", 10),
    ("specialised_province", "省级专精特新", 20),
    ("little_giant", "国家级专精特新“小巨人”", 30),
    ("tech_sme", "科技型中小企业", 40),
    ("tech_center_province", "省级企业技术中心", 50),
]


def add(apps, schema_editor):
    Qualification = apps.get_model("enterprises", "Qualification")
    for code, name, order in DEFAULTS:
        Qualification.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
