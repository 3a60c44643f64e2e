from django.conf import settings
from django.contrib.auth import middleware as auth
from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.cache import patch_cache_control

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language with the switch.

    The browser's Accept-Language is deliberately ignored: office computers often
    run an English system while their users expect the Indonesian interface.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = dict(settings.LANGUAGES)

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.available:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response


class SecurityHeadersMiddleware:
    """A Content-Security-Policy without inline script or style (everything the pages
    run comes from static/), and the legacy XSS filter switched off, as OWASP advises."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-XSS-Protection", "0")
        return response


class NoStoreMiddleware:
    """What the app draws (pages with names and phone numbers, spreadsheets, PDFs) is
    kept by no browser cache or proxy: `private, no-store`. Static files are served
    before this (WhiteNoise) and cached as usual. It looks at no user, so that a probe
    answers without the session even when the database does not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


class RefuseNulCharactersMiddleware:
    """An address holding a NUL character, in its path or its query, is refused (400).
    No one types one, and PostgreSQL cannot compare text that holds one: a search, a
    link's key or a calendar's token with it would end in a server error. Forms
    refuse it in their fields already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = (value for _name, values in request.GET.lists() for value in values)
        if "\x00" in request.path or any("\x00" in value for value in query):
            raise BadRequest("a NUL character in the address")
        return self.get_response(request)


class LoginRequiredMiddleware(auth.LoginRequiredMiddleware):
    """Django's, asking for the user only where the view needs one (Django's asks
    first): a probe or a public page answers without the session, and so without the
    database, whatever cookies come."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
