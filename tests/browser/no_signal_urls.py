"""The site as seen from a hall without signal: every page but the phone's upload of
its marks, which answers as a server in trouble would (`test_offline.Signal`)."""

from django.http import HttpResponse
from django.urls import include, path


def unreachable(request, pk):
    return HttpResponse(status=503)


urlpatterns = [
    path("pelatihan/<int:pk>/kehadiran/kirim/", unreachable),
    path("", include("kampungkb.urls")),
]
