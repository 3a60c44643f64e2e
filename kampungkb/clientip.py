"""The address a request came from, as login throttling and the public certificate
check count it.

Behind a reverse proxy every request arrives from the proxy's address; the real
client is in `X-Forwarded-For`, which anyone can also write. With
`TRUSTED_PROXY_COUNT` proxies in front (each appends the address it received the
request from), the client is the entry that many places from the right: entries
further left were written by the client itself and are not believed. With no
proxies trusted (the default), the header is ignored. An entry may carry a port
(`198.51.100.40:5555`, `[2001:db8::7]:443`); one that holds no address at all
(`unknown`, garbage) leaves the proxy's own address as the client's.
"""

import ipaddress

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
    return address_in(forwarded[-trusted]) or remote


def address_in(entry):
    """The IP address an `X-Forwarded-For` entry names, without its port, or None."""
    if entry.startswith("["):  # [IPv6]:port
        host = entry[1:].partition("]")[0]
    elif entry.count(":") == 1:  # IPv4:port; an IPv6 address has several colons
        host = entry.partition(":")[0]
    else:
        host = entry
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None
