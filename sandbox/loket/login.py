"""A scripted user at the Loket sandbox's login and consent pages (tests and benchmarks use it).

What a browser does after "Verbind met Loket": open the login form, log in, click Toestaan/Weigeren,
and follow the redirect back to the portal.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx2

from sandbox.loket import data


def log_in_at_loket(authorize_url: str, *, username=data.DEMO_USERNAME, password=data.DEMO_PASSWORD,
                    decision="allow", redirect_uri: str) -> dict[str, str]:
    """What a user's browser does: open the login form, log in, click Toestaan/Weigeren.
    Returns the query parameters of the redirect back to the portal (at `redirect_uri`)."""
    with httpx2.Client(follow_redirects=False, timeout=5) as browser:
        page = browser.get(authorize_url)
        assert page.status_code == 200 and 'name="password"' in page.text
        consent = browser.post(authorize_url, data={"step": "login", "username": username, "password": password})
        assert "Toestaan" in consent.text and "Weigeren" in consent.text, consent.text
        ticket = re.search(r'name="ticket" value="([^"]+)"', consent.text).group(1)
        back = browser.post(authorize_url, data={"step": "consent", "ticket": ticket, "decision": decision})
    assert back.status_code == 302
    location = back.headers["Location"]
    assert location.startswith(redirect_uri), location
    return {k: v[-1] for k, v in parse_qs(urlsplit(location).query).items()}
