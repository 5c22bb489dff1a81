"""WSGI answers of the Nmbrs REST sandbox: JSON, files, pages, redirects, and Nmbrs' error object."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus

from sandbox.loket.web import form, query  # the same request parsing as the Loket sandbox

__all__ = ["Response", "error", "file_response", "form", "html_response", "json_response", "query", "redirect"]

ERROR_TYPES = {400: "validationError", 401: "authenticationError", 403: "authenticationError",
               404: "invalidRequestError", 429: "throttlingError"}


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, start_response):
        start_response(f"{self.status} {HTTPStatus(self.status).phrase}", self.headers)
        return [self.body]


def json_response(payload, status: int = 200, headers: list | None = None) -> Response:
    return Response(status, json.dumps(payload).encode(), [("Content-Type", "application/json; charset=utf-8")]
                    + (headers or []))


def file_response(content: bytes) -> Response:
    """A task's file: the spec gives it as application/octet-stream."""
    return Response(200, content, [("Content-Type", "application/octet-stream")])


def html_response(html: str, status: int = 200) -> Response:
    return Response(status, html.encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")])


def redirect(location: str) -> Response:
    return Response(302, b"", [("Location", location)])


def error(status: int, code: int, title: str, detail: str, headers: list | None = None) -> Response:
    """Nmbrs' error object (the spec's 4xx/5xx answers): type, httpStatus, code, title, detail, docUrl."""
    return json_response({"type": ERROR_TYPES.get(status, "apiError"), "httpStatus": status, "code": code,
                          "title": title, "detail": detail, "docUrl": "https://developer.nmbrs.com/docs/errors"},
                         status, headers)
