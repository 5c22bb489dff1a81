"""What django-axes counts failed logins by: the username as Django authenticates it, and the real client.

Django's login form NFKC-normalises the username before it looks the user up (UsernameField), so
"ｔhr3" (fullwidth) is the account "thr3": counting the raw input would give every look-alike spelling
a fresh counter. Case variants are one person too. Behind the HTTPS proxy the README requires, every
request comes from the proxy's address: the client is read from X-Forwarded-For, but only as many
hops as TRUSTED_PROXIES says are ours, so a client cannot pick its own address by sending the header.
"""

from __future__ import annotations

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


def client_address(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: REMOTE_ADDR, or the address our trusted proxies saw the request come from.

    Each proxy appends the address it received the request from to X-Forwarded-For. With N trusted
    proxies in front of us, the client is the N-th address from the right (counting REMOTE_ADDR, the
    last proxy, as the 0-th); whatever stands further left was written by the client and is ignored.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    trusted = settings.TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    chain = hops + [remote]
    # A shorter chain did not pass all our proxies: the leftmost address is the best we know.
    candidate = chain[-(trusted + 1)] if len(chain) > trusted else chain[0]
    return _valid(candidate) or remote
