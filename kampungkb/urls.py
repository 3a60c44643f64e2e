from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("healthz/", views.health, name="health"),
    path("livez/", views.alive, name="alive"),
    path("", include("overview.urls")),
    path("akun/", include("accounts.urls")),
    path("kampung/", include("villages.urls")),
    path("pelatihan/", include("training.urls")),
    path("pembinaan/", include("coaching.urls")),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "kampungkb.views.bad_request"
handler403 = "kampungkb.views.permission_denied"
handler404 = "kampungkb.views.page_not_found"
handler500 = "kampungkb.views.server_error"
