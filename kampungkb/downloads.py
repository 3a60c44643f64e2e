"""Files the app hands out: spreadsheets and calendars to save, PDFs to open in the
browser."""

from pathlib import PurePath

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".ics": "text/calendar; charset=utf-8",
}


def download(content, filename):
    """A response for `filename`, typed by its extension: a PDF opens in the browser,
    anything else is saved. `content` is bytes, or an iterator of blocks to stream."""
    suffix = PurePath(filename).suffix
    response_class = HttpResponse if isinstance(content, bytes) else StreamingHttpResponse
    response = response_class(content, content_type=CONTENT_TYPES[suffix])
    # Quoted, or RFC 5987-encoded, by Django: a name from user data (a region's code)
    # may hold quotes or characters a header cannot carry.
    response["Content-Disposition"] = content_disposition_header(suffix != ".pdf", filename)
    return response
