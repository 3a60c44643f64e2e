from django.shortcuts import render

from villages.access import villages_visible_to


def dashboard(request):
    level_mix = villages_visible_to(request.user).level_counts()
    context = {
        "village_count": sum(count for _, count in level_mix),
        "level_mix": level_mix,
    }
    return render(request, "dashboard.html", context)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
