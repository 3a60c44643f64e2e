from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import Role, role_of
from coaching.access import needs_visible_to, plans_visible_to
from kampungkb.months import previous_month
from training.access import events_visible_to
from villages.access import villages_visible_to


def dashboard(request):
    """Counts for the user's area; a kelurahan officer gets links to their village pages."""
    villages = villages_visible_to(request.user)
    level_mix = villages.level_counts()
    context = {"village_count": sum(count for _, count in level_mix), "level_mix": level_mix}
    if role_of(request.user) in (Role.KELURAHAN, Role.NONE):
        context["own_villages"] = villages.select_related("kelurahan")
    else:
        context.update(_programme_figures(request.user))
    return render(request, "dashboard.html", context)


def _programme_figures(user):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = previous_month(this_month)
    plans = plans_visible_to(user)
    open_needs = needs_visible_to(user).open()
    return {
        "upcoming_events": events_visible_to(user).filter(days__date__gte=today).distinct().count(),
        "visits_due": plans.filter(month=this_month, visit__isnull=True).count(),
        "missed_last_month": plans.filter(month=last_month, visit__isnull=True).count(),
        "open_needs": open_needs.count(),
        "overdue_by_agency": open_needs.filter(due_date__lt=today, agency__isnull=False)
        .values("agency__abbreviation", "agency")
        .annotate(n=Count("id"))
        .order_by("-n")[:10],
    }


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
