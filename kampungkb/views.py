from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
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
def alive(request):
    """The process answers: the full middleware stack, no database query. The
    benchmark's baseline, and a liveness probe that a database outage leaves alone."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def health(request):
    """For load balancers and uptime checks: 503 unless the database and the cache
    table both answer."""
    failing = [name for name, check in HEALTH_CHECKS.items() if not _answers(check)]
    if failing:
        return HttpResponse(
            f"unavailable: {', '.join(failing)}", content_type="text/plain", status=503
        )
    return HttpResponse("ok", content_type="text/plain")


def _answers(check):
    try:
        check()
    except DatabaseError:
        return False
    return True


def _query_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


HEALTH_CHECKS = {"database": _query_database, "cache": lambda: cache.get("healthz")}


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """Drawn without the request's context: the session, the user and their role all
    come from the database, which may be why we are here."""
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
