"""The activity form with its photos: the villages app's own, and the one with which a
coaching visit or a training records the village's activity of it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kampungkb.concurrency import StaleEdit
from kampungkb.forms import is_unchanged_edit

from .forms import ActivityForm, PhotoFormSet


def activity_editor(request, village, *, back, activity=None, initial=None, recorded_from=None):
    """The activity form and its photos, saved together or not at all. `initial` is
    what a visit or a training already holds of the activity, `recorded_from(activity)`
    links them to it in the same transaction."""
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ActivityForm(*data, instance=activity, initial=initial, kampung=village)
    photos = PhotoFormSet(*data, instance=form.instance, prefix="foto")
    if request.method == "POST" and form.is_valid() and photos.is_valid():
        try:
            with transaction.atomic():
                # Photos added to an activity left as it was do not save it: two
                # officers adding photos at once are not a conflict.
                saved = form.instance if is_unchanged_edit(form) else form.save()
                photos.instance = saved
                photos.save()
                if recorded_from:
                    recorded_from(saved)
        except (ValidationError, StaleEdit) as refusal:
            _drop_new_photo_files(photos)
            form.add_error(None, str(refusal) if isinstance(refusal, StaleEdit) else refusal)
        else:
            messages.success(request, _("Kegiatan disimpan."))
            return redirect(saved)
    title = _("Kegiatan %(name)s") % {"name": village}
    context = {"form": form, "photos": photos, "title": title, "village": village, "back": back}
    return render(request, "villages/activity_form.html", context)


def _drop_new_photo_files(photos):
    """The files of photos whose rows were rolled back: no row names them any more."""
    for photo in getattr(photos, "new_objects", []):
        photo.image.storage.delete(photo.image.name)
