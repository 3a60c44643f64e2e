"""The user's own page for the address of their personal calendar."""

import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

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
        request.build_absolute_uri(reverse("overview:calendar_feed", args=[profile.calendar_token]))
        if profile.calendar_token
        else ""
    )
    return render(request, "accounts/calendar.html", {"feed_url": feed_url})
