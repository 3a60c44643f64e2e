from django.db import migrations, models


def role_of_groups(names):
    names = set(names)
    return next((role for role in ("dinas", "kecamatan", "kelurahan") if role in names), "none")


def derive_access(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    for profile in Profile.objects.select_related("user"):
        profile.role = role_of_groups(profile.user.groups.values_list("name", flat=True))
        profile.city_ids = list(profile.cities.values_list("pk", flat=True))
        profile.save(update_fields=["role", "city_ids"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_groups")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="city_ids",
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.AddField(
            model_name="profile",
            name="role",
            field=models.CharField(blank=True, editable=False, max_length=10, verbose_name="peran"),
        ),
        migrations.RunPython(derive_access, migrations.RunPython.noop),
    ]
