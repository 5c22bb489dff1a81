"""What django-axes counts failed logins by: the username as Django authenticates it, and the real client.

Django's login form NFKC-normalises the username before it looks the user up (UsernameField), so
"ｔhr3" (fullwidth) is the account "thr3": counting the raw input would give every look-alike spelling
a fresh counter. Case variants are one person too.

The client is the connection's own address (REMOTE_ADDR), unless that connection comes from one of our
own reverse proxies (TRUSTED_PROXY_ADDRESSES, addresses or networks): only then is X-Forwarded-For read,
from the right, skipping the addresses of our proxies, and the first other address is the client. A
header from anyone else is ignored, however it is spelled, so a client that reaches gunicorn directly
cannot pick an address per attempt (or claim to be ::1). A number of hops alone (the old
TRUSTED_PROXIES) cannot tell a proxy from a client: portal/checks.py refuses it without addresses.
"""

from __future__ import annotations

import functools
import ipaddress
import unicodedata

from django.conf import settings

# No account name is longer (Django's username field), and axes stores the key in 255 characters: a
# longer input can log in as nobody, and is counted under its first 150 characters.
USERNAME_KEY_LENGTH = 150


def normalized_username(value) -> str:
    return unicodedata.normalize("NFKC", str(value or "")).strip().casefold()[:USERNAME_KEY_LENGTH]


def username_key(request, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the same key for every spelling Django would log in as one account."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field) is not None:
        return normalized_username(credentials.get(field))
    data = getattr(request, "POST", None) or {}
    return normalized_username(data.get(field, ""))


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)
def trusted_proxy_networks(values: tuple[str, ...]) -> tuple:
    """TRUSTED_PROXY_ADDRESSES as networks ("172.30.250.0/24", "10.0.0.2", "::1"); ValueError names a bad one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an IP address or network ({exc})") from None
    return tuple(networks)


def _is_trusted_proxy(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:10.0.0.2 is 10.0.0.2 (a dual-stack socket)
        ip = ip.ipv4_mapped
    networks = trusted_proxy_networks(tuple(settings.TRUSTED_PROXY_ADDRESSES))
    return any(ip in network for network in networks if network.version == ip.version)


def client_address(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: REMOTE_ADDR, or, when that is one of our proxies, the address our proxies
    received the request from.

    Each proxy appends the address it received the request from to X-Forwarded-For. Walking from the
    right, an address of one of our proxies means "forwarded by us, read on"; the first address that is
    not ours is the client. Whatever stands further left was written by the client and is ignored. A
    hop that is not an address ends the walk at the last proxy that vouched for it.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    if not _is_trusted_proxy(remote):
        return remote
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not hop.strip():
            continue
        address = _valid(hop)
        if address is None:
            break
        client = address
        if not _is_trusted_proxy(address):
            break
    return client
