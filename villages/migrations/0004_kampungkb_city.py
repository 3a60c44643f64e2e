import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_city(apps, schema_editor):
    """Each village takes the city of its kelurahan."""
    KampungKB = apps.get_model("villages", "KampungKB")
    Kelurahan = apps.get_model("villages", "Kelurahan")
    kelurahan_city = Kelurahan.objects.filter(pk=OuterRef("kelurahan")).values("district__city")
    KampungKB.objects.update(city=Subquery(kelurahan_city))


class Migration(migrations.Migration):
    dependencies = [
        ("villages", "0003_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="kampungkb",
            name="city",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="kampung_kb",
                to="villages.city",
                verbose_name="kota",
            ),
        ),
        migrations.RunPython(fill_city, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="kampungkb",
            name="city",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="kampung_kb",
                to="villages.city",
                verbose_name="kota",
            ),
        ),
    ]
