from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from .forms import AdminLoginForm
from .models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    filter_horizontal = ["cities", "districts", "kelurahan"]
    verbose_name_plural = "wilayah tugas"


admin.site.unregister(User)


@admin.register(User)
class KampungKBUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "full_name", "is_active", "is_superuser", "last_login"]
    list_filter = ["groups", "is_active", "is_superuser"]

    @admin.display(description=_("nama lengkap"))
    def full_name(self, user):
        return user.get_full_name()


# The admin is the app's: its name in every title, heading and the sign-in page.
admin.site.site_header = admin.site.site_title = _("Kampung KB")
admin.site.index_title = _("Administrasi Kampung KB")
# The admin's sign-in refuses an over-long username too (`forms.BoundedUsername`).
admin.site.login_form = AdminLoginForm
