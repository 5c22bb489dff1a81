"""Where Nmbrs' REST API and its identity service answer (docs/vendors/nmbrs-rest.md, "Hosts").

The identity service is a separate host from the API. Our sandbox serves both under one prefix:
`<prefix>/connect/authorize`, `<prefix>/connect/token` and `<prefix>/api/...`, so any other value
than "live" is taken as the base URL of such a sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass

LIVE_API = "https://api.nmbrsapp.com"
LIVE_IDENTITY = "https://identityservice.nmbrs.com"


@dataclass(frozen=True)
class NmbrsRestEnvironment:
    name: str
    api_base: str  # paths in the spec start with /api/..., appended to this
    authorize_url: str
    token_url: str


# Our sandbox's registered app and product subscription key (sandbox/nmbrs_rest/data.py uses these): the portal
# in sandbox mode uses them while a portal administrator entered none, as for Loket's sandbox.
SANDBOX_CLIENT_ID = "payrollsync-sandbox"
SANDBOX_CLIENT_SECRET = "nmbrs-rest-sandbox-secret-2026"
SANDBOX_SUBSCRIPTION_KEY = "5ab5c0de5ab5c0de5ab5c0de5ab5c0de"  # 32 hex, as the spec's example

LIVE = NmbrsRestEnvironment("live", LIVE_API, f"{LIVE_IDENTITY}/connect/authorize", f"{LIVE_IDENTITY}/connect/token")


def sandbox(base_url: str) -> NmbrsRestEnvironment:
    base = base_url.rstrip("/")
    return NmbrsRestEnvironment("sandbox", base, f"{base}/connect/authorize", f"{base}/connect/token")


def resolve(value: str) -> NmbrsRestEnvironment:
    """'live' (or empty) -> Nmbrs itself; a URL -> our sandbox mounted there."""
    value = (value or "").strip()
    if value in ("", "live"):
        return LIVE
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"unknown Nmbrs REST environment {value!r}: 'live' or a sandbox base URL")
    return sandbox(value)
