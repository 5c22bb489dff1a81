"""Validation against Nmbrs' OpenAPI description (openapi-core), for the tests of both sides.

`connector_hooks()` validates every request the connector sends (an httpx2 event hook); `ValidatingApp`
validates every answer the sandbox gives. The description is Nmbrs' published file
(docs/vendors/nmbrs-rest.md, "The OpenAPI description"); it is not kept in this repository: it is read
where tests/published_files.py finds the vendors' files ($NMBRS_OPENAPI_SPEC names another). It is loaded once
per test session (about 0.2 s; a validation then takes about 2 ms). The file itself does not pass
openapi-spec-validator (empty `enum` lists in schemas we never use), so it is loaded without that check;
its `Bearer` scheme is OAuth 2.0, which openapi-core does not check, so we check the bearer header.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from pathlib import Path
from urllib.parse import parse_qsl

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.security.factories import SecurityProviderFactory
from openapi_core.security.providers import HttpProvider
from werkzeug.datastructures import Headers, ImmutableMultiDict

from tests.published_files import published

SERVER = "https://api.nmbrsapp.com"  # the spec's server: requests are checked as if sent there


def spec_path() -> Path:
    if os.environ.get("NMBRS_OPENAPI_SPEC"):
        return Path(os.environ["NMBRS_OPENAPI_SPEC"])
    return published("nmbrs", "nmbrs-openapi.yaml")


class SpecViolation(AssertionError):
    pass


class _BearerToken(HttpProvider):
    """The spec's OAuth 2.0 scheme, checked as what reaches the API: `Authorization: Bearer <token>`."""

    def __init__(self, scheme):
        super().__init__(scheme)
        self.scheme = {"scheme": "bearer"}


class _Providers(SecurityProviderFactory):
    PROVIDERS = {**SecurityProviderFactory.PROVIDERS, "oauth2": _BearerToken}


@functools.cache
def openapi() -> OpenAPI:
    path = spec_path()
    if not path.is_file():
        raise FileNotFoundError(f"Nmbrs' OpenAPI description is not at {path}: set NMBRS_OPENAPI_SPEC "
                                "(docs/vendors/nmbrs-rest.md, 'The OpenAPI description').")
    with path.open("rb") as file:
        description = yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return OpenAPI.from_dict(_without_allow_empty_value(description),
                             config=Config(spec_validator_cls=None, security_provider_factory=_Providers()))


def _without_allow_empty_value(node):
    """The description marks SEPA's `paymentDate` `allowEmptyValue`, which openapi-core reads with a
    DeprecationWarning on every request (an error in this suite); we never send it empty, so it goes."""
    if isinstance(node, dict):
        return {k: _without_allow_empty_value(v) for k, v in node.items() if k != "allowEmptyValue"}
    if isinstance(node, list):
        return [_without_allow_empty_value(v) for v in node]
    return node


class _Request:
    def __init__(self, method: str, path: str, query: str, headers, body: bytes = b""):
        self.method, self.path, self.host_url = method.lower(), path, SERVER
        self.body = body or None
        self.content_type = Headers(headers).get("Content-Type", "application/json")
        self.parameters = RequestParameters(query=ImmutableMultiDict(parse_qsl(query, keep_blank_values=True)),
                                            header=Headers(headers))


class _Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status_code, self.headers, self.data = status, Headers(headers), body
        self.content_type = self.headers.get("Content-Type", "").split(";")[0].strip()


def check_request(method: str, path: str, query: str, headers) -> None:
    try:
        openapi().validate_request(_Request(method, path, query, headers))
    except Exception as exc:  # openapi-core raises a family of errors: any is a violation
        raise SpecViolation(f"{method} {path}?{query}: {exc!r} {getattr(exc, '__cause__', '')!r}") from exc


def check_response(method: str, path: str, query: str, request_headers, status: int, headers, body: bytes) -> None:
    try:
        openapi().validate_response(_Request(method, path, query, request_headers), _Response(status, headers, body))
    except Exception as exc:
        raise SpecViolation(f"answer {status} to {method} {path}: {exc!r} {getattr(exc, '__cause__', '')!r}") from exc


def connector_hooks(failures: list[str], prefix: str = "") -> dict:
    """httpx2 event hooks that check each request the connector sends to the API (not the identity
    service, which is not in the spec) and raise on a violation."""

    def on_request(request) -> None:
        path = request.url.path.removeprefix(prefix)
        if not path.startswith("/api/"):
            return
        try:
            check_request(request.method, path, request.url.query.decode(), list(request.headers.items()))
        except SpecViolation as violation:
            failures.append(str(violation))
            raise

    return {"request": [on_request]}


class ValidatingApp:
    """WSGI middleware around the sandbox: each /api/ answer is checked; a violating answer is recorded in
    `failures` and replaced by a 500 naming it, so the test that provoked it fails there and then."""

    def __init__(self, app):
        self.app = app
        self.failures: list[str] = []
        self.checked = 0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if not path.startswith("/api/"):
            return self.app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        chunks = self.app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        status = int(captured["status"].split()[0])
        if captured["status"].endswith(" Injected"):  # a fault a test injected on purpose (sandbox/faults.py)
            start_response(captured["status"], captured["headers"])
            return [body]
        request_headers = [(k[5:].replace("_", "-").title(), v) for k, v in environ.items() if k.startswith("HTTP_")]
        try:
            check_response(environ["REQUEST_METHOD"], path, environ.get("QUERY_STRING", ""), request_headers, status,
                           captured["headers"], body)
        except SpecViolation as violation:
            with self._lock:
                self.failures.append(str(violation))
            start_response("500 Internal Server Error", [("Content-Type", "application/json")])
            return [json.dumps({"sandbox_spec_violation": str(violation)}).encode()]
        with self._lock:
            self.checked += 1
        start_response(captured["status"], captured["headers"])
        return [body]
