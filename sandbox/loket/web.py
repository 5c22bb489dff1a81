"""Tiny WSGI helpers for the Loket sandbox: a response type and request parsing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from sandbox.faults import _buffer_body

STATUS_TEXT = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
               404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 500: "Internal Server Error"}


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, start_response):
        start_response(f"{self.status} {STATUS_TEXT.get(self.status, 'Status')}", self.headers)
        return [self.body]


def json_response(payload, status: int = 200, headers: list | None = None) -> Response:
    return Response(status, json.dumps(payload).encode(),
                    [("Content-Type", "application/json; charset=utf-8")] + (headers or []))


def html_response(html: str, status: int = 200) -> Response:
    return Response(status, html.encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")])


def redirect(location: str) -> Response:
    return Response(302, b"", [("Location", location)])


def query(environ) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()}


def form(environ) -> dict[str, str]:
    body = _buffer_body(environ).decode("utf-8", "replace")
    return {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
