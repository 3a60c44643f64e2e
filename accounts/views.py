"""The user's own page for their calendar address, and the calendar feed itself."""

import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from accounts.roles import with_role
from kampungkb import calendar

from .models import Profile


def calendar_settings(request):
    """Show, make anew or revoke the address of the user's personal calendar."""
    profile, _created = Profile.objects.get_or_create(user=request.user)
    if request.method == "POST":
        if request.POST.get("action") == "cabut":
            profile.calendar_token = None
            messages.success(
                request, _("Alamat kalender dicabut; aplikasi kalender tidak lagi bisa membacanya.")
            )
        else:
            profile.calendar_token = secrets.token_urlsafe(32)
            messages.success(
                request, _("Alamat kalender baru dibuat; alamat lama tidak berlaku lagi.")
            )
        profile.save(update_fields=["calendar_token"])
        return redirect("accounts:calendar")
    feed_url = (
        request.build_absolute_uri(reverse("accounts:calendar_feed", args=[profile.calendar_token]))
        if profile.calendar_token
        else ""
    )
    return render(request, "accounts/calendar.html", {"feed_url": feed_url})


@login_not_required
@cache_control(private=True, no_store=True)
def calendar_feed(request, token):
    """The personal calendar of whoever holds the token: only what they may see."""
    holders = get_user_model().objects.filter(profile__calendar_token=token, is_active=True)
    user = get_object_or_404(with_role(holders))
    base_url = request.build_absolute_uri("/").rstrip("/")
    content = calendar.feed(user, base_url, timezone.localdate())
    return HttpResponse(content, content_type="text/calendar; charset=utf-8")
