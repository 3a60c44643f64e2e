"""The address a request came from, as login throttling and the public certificate
check count it.

Behind a reverse proxy every request arrives from the proxy's address; the real
client is in `X-Forwarded-For`, which anyone can also write. With
`TRUSTED_PROXY_COUNT` proxies in front (each appends the address it received the
request from), the client is the entry that many places from the right: entries
further left were written by the client itself and are not believed. With no
proxies trusted (the default), the header is ignored.
"""

from django.conf import settings


def client_ip(request):
    trusted = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if not trusted:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < trusted:  # not through all our proxies: the nearest is the client
        return remote
    return forwarded[-trusted]
