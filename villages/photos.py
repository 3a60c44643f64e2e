"""Photos of an activity: image files only, limited in size, re-encoded on arrival.

A photo is kept only if Pillow reads it as a JPEG, PNG or WebP whose file name
says so, within `MAX_BYTES` and `MAX_PIXELS`. It is stored re-encoded, turned
upright, no longer than `LONGEST_SIDE` and without its metadata (a phone's EXIF
tells where it was taken; a comment or XMP packet may carry anything) but for its
colour profile, under a random name: neither the uploader's bytes nor their file
name reach the disk as they came.

Decoding is bounded: a JPEG is decoded at the scale it will be kept (`draft`), and
nothing above `MAX_PIXELS` is decoded at all. README states the worst accepted
upload's time and memory (`scripts/measure_photos.py`).
"""

import io
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import signals
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000
LONGEST_SIDE = 2048
#: Pillow's format → the file name extensions that may carry it; the first is stored.
EXTENSIONS = {"JPEG": ("jpg", "jpeg"), "PNG": ("png",), "WEBP": ("webp",)}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
ACCEPT = ",".join(CONTENT_TYPES.values())

NOT_A_PHOTO = _("Berkas ini bukan foto. Unggah foto JPEG, PNG atau WebP.")


def extension(name):
    return name.rpartition(".")[2].lower() if "." in name else ""


def _format_of(upload):
    """The format Pillow reads from the file's own bytes, refusing what it cannot."""
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("Foto terlalu besar: %(w)s × %(h)s piksel, paling banyak %(max)s juta."),
                    code="too_many_pixels",
                    params={"w": width, "h": height, "max": MAX_PIXELS // 1_000_000},
                )
            image.verify()
            return image.format
    except Image.DecompressionBombError:
        raise ValidationError(_("Foto terlalu besar."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(NOT_A_PHOTO, code="not_an_image") from None


def checked_photo(upload):
    """The upload re-encoded as a `ContentFile`, or a ValidationError saying why not."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("Foto terlalu besar: %(size).1f MB, paling besar %(max)s MB."),
            code="too_large",
            params={"size": upload.size / 1024 / 1024, "max": MAX_BYTES // 1024 // 1024},
        )
    found = _format_of(upload)
    if found not in EXTENSIONS:
        raise ValidationError(NOT_A_PHOTO, code="not_an_image")
    if extension(upload.name) not in EXTENSIONS[found]:
        raise ValidationError(
            _(
                "Nama berkas berakhiran .%(ext)s, tetapi isinya foto %(found)s. "
                "Simpan ulang fotonya dengan akhiran yang benar."
            ),
            code="extension_lies",
            params={"ext": extension(upload.name) or "?", "found": found},
        )
    upload.seek(0)
    try:
        return _reencoded(upload, found)
    except (OSError, ValueError):  # a header that reads, with broken data behind it
        raise ValidationError(NOT_A_PHOTO, code="not_an_image") from None


def _reencoded(upload, found):
    with Image.open(upload) as original:
        original.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # a JPEG only: decode it small
        colour_profile = original.info.get("icc_profile")
        ImageOps.exif_transpose(original, in_place=True)  # upright, without a second copy
        image = original
        image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
        if found == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.info = {}  # no EXIF, XMP or comment goes along
        out = io.BytesIO()
        image.save(out, format=found, icc_profile=colour_profile, **SAVE_OPTIONS[found])
    return ContentFile(out.getvalue(), name=f"foto.{EXTENSIONS[found][0]}")


SAVE_OPTIONS = {"JPEG": {"quality": 85}, "PNG": {}, "WEBP": {"quality": 85}}


def photo_path(instance, filename):
    return f"kegiatan/{uuid.uuid4().hex}.{extension(filename)}"


def logo_path(instance, filename):
    return f"logo/{uuid.uuid4().hex}.{extension(filename)}"


class PhotoFormField(forms.FileField):
    # Not Django's clearable input, which links to the file: no URL serves the folder.
    widget = forms.FileInput(attrs={"accept": ACCEPT})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            return checked_photo(upload)
        return upload


class PhotoField(models.FileField):
    """A file field whose every form (the app's and the admin's) takes only
    photos that pass `checked_photo`, and stores them re-encoded."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("upload_to", photo_path)
        kwargs.setdefault("max_length", 120)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})


def _drop_when_committed(storage, name):
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def delete_files_with_rows(model, field="image"):
    """A photo's file goes when its row goes, or when another file replaces it, once
    the transaction that did so has committed (a rollback keeps both)."""

    def before_save(sender, instance, raw=False, **kwargs):
        if not raw and instance.pk is not None:
            rows = sender._base_manager.filter(pk=instance.pk).values_list(field, flat=True)
            instance._stored_photo = rows.first()

    def saved(sender, instance, **kwargs):
        before = instance.__dict__.pop("_stored_photo", None)
        file = getattr(instance, field)
        if before != file.name:
            _drop_when_committed(file.storage, before)

    def deleted(sender, instance, **kwargs):
        file = getattr(instance, field)
        _drop_when_committed(file.storage, file.name)

    signals.pre_save.connect(before_save, sender=model, weak=False)
    signals.post_save.connect(saved, sender=model, weak=False)
    signals.post_delete.connect(deleted, sender=model, weak=False)
