"""Where Loket lives: production, acceptance, or our sandbox. The one place these URLs are written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoketEnvironment:
    name: str
    oauth_base: str  # no trailing slash; /authorize and /token hang under it
    api_base: str  # no trailing slash; ends in /v2

    @property
    def authorize_url(self) -> str:
        return f"{self.oauth_base}/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.oauth_base}/token"


# docs/vendors/loket.md: oauth.loket.nl / api.loket.nl/v2, acceptance on loket-acc.nl.
PRODUCTION = LoketEnvironment("production", "https://oauth.loket.nl", "https://api.loket.nl/v2")
ACCEPTANCE = LoketEnvironment("acceptance", "https://oauth.loket-acc.nl", "https://api.loket-acc.nl/v2")


# The OAuth client our sandbox knows (public, fake): the portal uses it in sandbox mode when no
# LOKET_CLIENT_ID is set, and the sandbox (sandbox/loket/data.py) accepts it.
SANDBOX_CLIENT_ID = "payrollsync-sandbox"
SANDBOX_CLIENT_SECRET = "payrollsync-sandbox-secret"


def sandbox(prefix: str) -> LoketEnvironment:
    """Our sandbox mounted at `prefix` (e.g. 'http://127.0.0.1:8000/sandbox/loket')."""
    prefix = prefix.rstrip("/")
    return LoketEnvironment("sandbox", f"{prefix}/oauth", f"{prefix}/api/v2")


def environment(name: str, sandbox_prefix: str = "") -> LoketEnvironment:
    """The environment a setting names: 'production', 'acceptance' or 'sandbox' (needs its prefix)."""
    if name == "production":
        return PRODUCTION
    if name == "acceptance":
        return ACCEPTANCE
    if name == "sandbox":
        if not sandbox_prefix:
            raise ValueError("the Loket sandbox environment needs the URL prefix it is mounted under")
        return sandbox(sandbox_prefix)
    raise ValueError(f"unknown Loket environment {name!r}: use production, acceptance or sandbox")
