"""The portal's Loket flow as the tests drive it through our own views: "Verbind met Loket", the sandbox's
login and consent, and our callback; and how a page's text is read back."""

from __future__ import annotations

import html

from sandbox.loket.login import log_in_at_loket

PORTAL_BASE_URL = "http://testserver"  # Django's test client host, so the redirect URL is ours


def portal_redirect_uri() -> str:
    from django.urls import reverse

    return PORTAL_BASE_URL + reverse("loket:callback")


def start_connect(web, administration=None):
    """POST "Verbind met Loket" as the logged-in user of `web`; returns the response (302 to Loket)."""
    from django.urls import reverse

    data = {"administration": administration.pk} if administration is not None else {}
    return web.post(reverse("loket:connect"), data)


def connect_through_portal(web, administration=None, *, decision="allow", follow=True):
    """The whole flow: "Verbind met Loket", log in at the sandbox, "Toestaan", back to our callback."""
    from django.urls import reverse

    started = start_connect(web, administration)
    assert started.status_code == 302, started
    params = log_in_at_loket(started["Location"], decision=decision, redirect_uri=portal_redirect_uri())
    return web.get(reverse("loket:callback"), params, follow=follow)


def nl(msgid: str) -> str:
    """`msgid` as a Dutch user sees it (the portal's default language), translated or not yet."""
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext(msgid)


def page_text(response) -> str:
    """The page's HTML with entities decoded, to search for messages with quotes in them."""
    return html.unescape(response.content.decode())
