from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession, BaseSessionManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """Where a user's reading rights reach; the role itself is the user's group.

    Dinas staff are assigned cities, kecamatan viewers kecamatan, kelurahan
    officers kelurahan. An empty assignment means the user sees nothing.

    `role` and `city_ids` repeat what the groups and `cities` say, derived again by
    `accounts.roles` in the transaction of every change to either. Read with the
    session and the user on each request (`accounts.sessions`), they spare every
    page two queries.
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
    role = models.CharField(_("peran"), max_length=10, blank=True, editable=False)
    city_ids = models.JSONField(default=list, editable=False)

    class Meta:
        verbose_name = _("profil pengguna")
        verbose_name_plural = _("profil pengguna")

    def __str__(self):
        return str(self.user)


class UserSessionManager(BaseSessionManager):
    def get_queryset(self):
        return super().get_queryset().select_related("user__profile")


class UserSession(AbstractBaseSession):
    """A browser session that names its signed-in user (None while signed out), so
    that the user and the profile come with the session in one query
    (`accounts.sessions`). A deleted user's sessions go with them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.CASCADE,
        related_name="sessions",
        editable=False,
    )

    #: A session is read with its user and the profile, in one query.
    objects = UserSessionManager()

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
