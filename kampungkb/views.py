"""The views every app shares: probes for the load balancer and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from .months import OutOfRange


@login_not_required
def alive(request):
    """The process answers: no database query. A liveness probe that a database
    outage leaves alone, and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def health(request):
    """For load balancers and uptime checks: 503 unless the database and the cache
    table (the certificate check's counts of misses) both answer."""
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
    """The 400 page; for a month or year out of range, it says which the page can show."""
    reason = str(exception) if isinstance(exception, OutOfRange) else ""
    return render(request, "errors/400.html", {"reason": reason}, status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """Drawn without the request's context: the session, the user and their role all
    come from the database, which may be why we are here."""
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
