"""Files the app hands out: spreadsheets to save, PDFs to open in the browser."""

from pathlib import PurePath

from django.http import HttpResponse, StreamingHttpResponse

CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}


def download(content, filename):
    """A response for `filename`, typed by its extension: a PDF opens in the browser,
    anything else is saved. `content` is bytes, or an iterator of blocks to stream."""
    suffix = PurePath(filename).suffix
    response_class = HttpResponse if isinstance(content, bytes) else StreamingHttpResponse
    response = response_class(content, content_type=CONTENT_TYPES[suffix])
    disposition = "inline" if suffix == ".pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
