"""A form sent without a valid CSRF token (most often: a page left open until its session or token
expired, a login form from a tab opened before logging in elsewhere, or cookies blocked). Django's own page
for it is technical, formal ("u") and has no way back; this one says what happened in the portal's words."""

from __future__ import annotations

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    back = request.headers.get("Referer", "")
    if not back.startswith(f"{request.scheme}://{request.get_host()}/"):
        back = ""  # only a page of the portal itself
    # Django's reason (e.g. "CSRF cookie not set.") is for developers: it is logged, not shown.
    return render(request, "403_csrf.html", {"back": back}, status=403)
