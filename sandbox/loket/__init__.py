"""Simulated Loket.nl: OAuth (login, consent, rotating tokens) and the REST API the connector reads.

`create_app(faults=None)` returns a WSGI app (see sandbox/README.md) serving, under any prefix:
  /oauth/authorize, /oauth/token     -> the portal's oauth base is '<prefix>/oauth'
  /api/v2/...                        -> the portal's api base is '<prefix>/api/v2'
  /_faults                           -> fault control (sandbox.faults.control_app)
Faults: the generic ones (429 + Retry-After, 500, timeout, drops) via `FaultInjector.wrap`,
operation names 'METHOD /path' (e.g. 'GET /api/v2/providers/employers/administrations');
'malformed' (broken JSON, a non-PDF) via `faults.add("malformed", vendor="loket", operation=...)`.
Known user and client: `sandbox.loket.data.DEMO_USERNAME/DEMO_PASSWORD/CLIENT_ID/CLIENT_SECRET`; the
client's redirect URIs are registered when the app is made (`create_app(redirect_uris=...)`).
"""

from __future__ import annotations

from sandbox.faults import FaultInjector, control_app
from sandbox.loket import api, data, oauth
from sandbox.loket.envelope import error
from sandbox.loket.state import LoketState

VENDOR = "loket"

__all__ = ["create_app", "data", "LoketState", "VENDOR"]


def _operation(environ, body=b"") -> str:
    return f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO') or '/'}"


def create_app(faults: FaultInjector | None = None, redirect_uris=()):
    """`redirect_uris`: registered with the sandbox's client (as at Loket); an authorization request
    with any other redirect URI gets an error page, no code (`state.register_redirect_uri` adds one)."""
    faults = faults or FaultInjector()
    state = LoketState()
    for uri in redirect_uris:
        state.register_redirect_uri(uri)
    controls = control_app(faults)

    def app(environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if path == "/oauth/authorize":
            return oauth.authorize(environ, state)(start_response)
        if path == "/oauth/token":
            return oauth.token(environ, state)(start_response)
        if path.startswith("/api/v2/"):
            malformed = faults.take(VENDOR, _operation(environ), "malformed") is not None
            return api.handle(environ, state, path, malformed)(start_response)
        return error(404, f"No such page in the Loket sandbox: {path}", "NotFound")(start_response)

    wrapped = faults.wrap(app, VENDOR, _operation)

    def root(environ, start_response):
        if (environ.get("PATH_INFO") or "/") == "/_faults":
            return controls(environ, start_response)
        return wrapped(environ, start_response)

    root.faults = faults
    root.state = state
    return root
