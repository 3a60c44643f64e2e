"""One demo login per role. The passwords are printed by `manage.py demo`; they are
demo passwords for a local machine, never for a server."""

from django.contrib.auth.models import Group, User

from accounts.models import Profile
from villages.models import City, District, Kelurahan

DEMO_PASSWORD = "kampungkb-demo"

#: username, role group (None for the superuser), full name, scope: (model, codes)
DEMO_USERS = [
    ("admin", None, "Administrator Sistem", None),
    ("dinas.pontianak", "dinas", "Yuniarlita (DP2KBP3A Pontianak)", (City, ["61.71"])),
    ("dinas.pasuruan", "dinas", "Staf DP3AKB Pasuruan", (City, ["35.75"])),
    ("camat.pontianakkota", "kecamatan", "Pemantau Kec. Pontianak Kota", (District, ["61.71.05"])),
    (
        "lurah.sungaibangkong",
        "kelurahan",
        "Petugas Kel. Sungaibangkong",
        (Kelurahan, ["61.71.05.1001"]),
    ),
    ("lurah.karangketug", "kelurahan", "Petugas Kel. Karangketug", (Kelurahan, ["35.75.01.1001"])),
]
SCOPE_FIELD = {City: "cities", District: "districts", Kelurahan: "kelurahan"}


def ensure_demo_users():
    """Create or reset the demo users; safe to run again."""
    for username, group, full_name, scope in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
        user.is_superuser = user.is_staff = group is None
        user.set_password(DEMO_PASSWORD)
        user.save()
        if group:
            user.groups.set([Group.objects.get(name=group)])
        profile, _ = Profile.objects.get_or_create(user=user)
        if scope:
            model, codes = scope
            getattr(profile, SCOPE_FIELD[model]).set(model.objects.filter(code__in=codes))
    return [(username, DEMO_PASSWORD, group or "admin") for username, group, _, _ in DEMO_USERS]
