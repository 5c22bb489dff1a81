"""Mounts the vendor sandboxes under /sandbox/<vendor>/ (included only when SANDBOX_ENABLED is on)."""

import io
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import re_path, reverse
from django.views.decorators.csrf import csrf_exempt

from sandbox import registry

LOOPBACK_NAMES = ("localhost", "127.0.0.1")


def portal_callbacks(base_url: str, path: str) -> list[str]:
    """The portal's redirect URL(s) as the local run registers them: on a loopback address both names of
    the machine (make run prints localhost, listens on 127.0.0.1, and a person may open either), as a
    developer registers both with a test client at Loket; any other base URL alone."""
    parts = urlsplit(base_url)
    if parts.hostname not in LOOPBACK_NAMES:
        return [base_url + path]
    port = f":{parts.port}" if parts.port else ""
    return [f"{parts.scheme}://{name}{port}{path}" for name in LOOPBACK_NAMES]


@csrf_exempt
def passthrough(request, vendor: str, rest: str):
    try:
        app = registry.get(vendor)
    except (KeyError, ImportError) as exc:
        raise Http404(f"no sandbox {vendor!r}") from exc
    if vendor in ("loket", "nmbrs_rest"):
        # The portal's redirect URL, registered with the sandbox's client as a firm registers it at the vendor
        # (the settings page shows it): the sandbox sends its codes there and nowhere else.
        for uri in portal_callbacks(settings.PORTAL_BASE_URL, reverse(f"{vendor}:callback")):
            app.state.register_redirect_uri(uri)
    body = request.body
    environ = dict(request.environ)
    environ["SCRIPT_NAME"] = f"{request.META.get('SCRIPT_NAME', '')}/sandbox/{vendor}"
    environ["PATH_INFO"] = "/" + rest
    environ["CONTENT_LENGTH"] = str(len(body))
    environ["wsgi.input"] = io.BytesIO(body)
    environ.pop("sandbox.body", None)

    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers

    chunks = app(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    code, _, reason = captured["status"].partition(" ")
    response = HttpResponse(content, status=int(code), reason=reason or None)
    for name, value in captured["headers"]:
        response[name] = value
    return response


urlpatterns = [re_path(r"^(?P<vendor>yuki|loket|nmbrs_rest|nmbrs)/(?P<rest>.*)$", passthrough, name="sandbox")]
