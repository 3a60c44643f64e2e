from django.db import migrations

from villages.reference import load_agencies, load_regions


def load(apps, schema_editor):
    load_regions(
        apps.get_model("villages", "City"),
        apps.get_model("villages", "District"),
        apps.get_model("villages", "Kelurahan"),
    )
    load_agencies(apps.get_model("villages", "Agency"))


class Migration(migrations.Migration):
    dependencies = [("villages", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
