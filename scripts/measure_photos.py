"""Time and peak memory of the worst photo uploads the app accepts: a PNG and a JPEG
just under the 24-megapixel limit, each checked and re-encoded as an upload is
(`villages.photos.checked_photo`), one at a time and three at once.

    DEBUG=1 python scripts/measure_photos.py

Each upload is handled in a process of its own, as a gunicorn worker would; the
figures are its seconds and how far its resident memory (peak RSS) rose above what
the process held before the upload.
"""

import io
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kampungkb.settings")

SIDE = 4890  # 4,890 × 4,890 = 23.9 megapixels


def worst(fmt):
    """A photo of `fmt` just under the limits: a gradient with detail, as a camera's."""
    from PIL import Image

    image = Image.radial_gradient("L").resize((SIDE, SIDE)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format=fmt, **({"quality": 70} if fmt == "JPEG" else {"optimize": True}))
    return out.getvalue()


def handle(content, name, results):
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from villages.photos import checked_photo

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    kept = checked_photo(SimpleUploadedFile(name, content))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results.put((name, len(content), seconds, (peak - before) / 1024, kept.size))


def measure(uploads):
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=handle, args=(content, name, results))
        for content, name in uploads
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    return [results.get() for _ in workers], wall


def main():
    photos = {"PNG": (worst("PNG"), "foto.png"), "JPEG": (worst("JPEG"), "foto.jpg")}
    for fmt, upload in photos.items():
        [(name, size, seconds, rss, kept)], _wall = measure([upload])
        print(
            f"{fmt:<5} {SIDE}×{SIDE} {size / 1024:8.0f} KB  {seconds:5.2f} s  "
            f"+{rss:5.0f} MB RSS  kept {kept / 1024:.0f} KB"
        )
    for fmt, upload in photos.items():
        results, wall = measure([upload] * 3)
        worst_rss = max(rss for *_, rss, _kept in results)
        print(f"{fmt:<5} three at once: {wall:5.2f} s in all, at most +{worst_rss:.0f} MB each")


if __name__ == "__main__":
    main()
