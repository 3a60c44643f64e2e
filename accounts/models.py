from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """Where a user's reading rights reach; the role itself is the user's group.

    Dinas staff are assigned cities, kecamatan viewers kecamatan, kelurahan
    officers kelurahan. An empty assignment means the user sees nothing.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    cities = models.ManyToManyField(
        "villages.City", blank=True, related_name="profiles", verbose_name=_("kota")
    )
    districts = models.ManyToManyField(
        "villages.District", blank=True, related_name="profiles", verbose_name=_("kecamatan")
    )
    kelurahan = models.ManyToManyField(
        "villages.Kelurahan", blank=True, related_name="profiles", verbose_name=_("kelurahan")
    )
    calendar_token = models.CharField(
        _("token kalender"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Bagian rahasia alamat kalender pribadi; dicabut oleh pemiliknya."),
    )

    class Meta:
        verbose_name = _("profil pengguna")
        verbose_name_plural = _("profil pengguna")

    def __str__(self):
        return str(self.user)
