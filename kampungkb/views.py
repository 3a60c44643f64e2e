from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import Role, role_of, whole_cities
from villages.access import villages_visible_to
from villages.figures import city_level_counts

from .dashboard import programme_figures


def dashboard(request):
    """Counts for the user's area; a kelurahan officer gets links to their village pages."""
    user = request.user
    cities = whole_cities(user)
    villages = villages_visible_to(user)
    level_mix = villages.level_counts() if cities is None else city_level_counts(cities)
    context = {"village_count": sum(count for _, count in level_mix), "level_mix": level_mix}
    if role_of(user) in (Role.KELURAHAN, Role.NONE):
        context["own_villages"] = villages.select_related("kelurahan")
    else:
        context["figures"] = programme_figures(user, timezone.localdate(), cities)
    return render(request, "dashboard.html", context)


@login_not_required
def health(request):
    """For load balancers and uptime checks, and the benchmark's baseline: the full
    middleware stack, no database query."""
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
