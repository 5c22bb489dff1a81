"""The WSGI app of the Nmbrs REST sandbox (see __init__.py for its paths)."""

from __future__ import annotations

from sandbox.faults import FaultInjector, control_app
from sandbox.nmbrs_rest import api, oauth
from sandbox.nmbrs_rest.state import RestState
from sandbox.nmbrs_rest.web import error

VENDOR = "nmbrs_rest"


def _operation(environ, body=b"") -> str:
    return f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO') or '/'}"


def create_app(faults: FaultInjector | None = None, redirect_uris=(), state: RestState | None = None):
    faults = faults or FaultInjector()
    state = state or RestState()
    for uri in redirect_uris:
        state.register_redirect_uri(uri)
    controls = control_app(faults)

    def app(environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if path == "/connect/authorize":
            return oauth.authorize(environ, state)(start_response)
        if path == "/connect/token":
            return oauth.token(environ, state)(start_response)
        if path.startswith("/api/"):
            state.enter({"method": environ["REQUEST_METHOD"], "path": path, "query": environ.get("QUERY_STRING", ""),
                         "subscription_key": environ.get("HTTP_X_SUBSCRIPTION_KEY", "")})
            try:
                return api.handle(environ, state, path)(start_response)
            finally:
                state.leave()
        return error(404, 40401, "Not_Found", f"No such page in the Nmbrs REST sandbox: {path}")(start_response)

    wrapped = faults.wrap(app, VENDOR, _operation)

    def root(environ, start_response):
        if (environ.get("PATH_INFO") or "/") == "/_faults":
            return controls(environ, start_response)
        return wrapped(environ, start_response)

    root.faults = faults
    root.state = state
    return root
