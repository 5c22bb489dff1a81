"""GET /health/: JSON for load balancers, docker-compose and monitoring.

Anyone gets only {"status": "up"} (200) or {"status": "down"} (503): nothing about the inside. Portal
administrators, and callers sending `Authorization: Bearer <HEALTH_TOKEN>`, also get every check
(portal/health.py) and the version.
"""

from __future__ import annotations

import hmac
from importlib.metadata import PackageNotFoundError, version

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from portal import permissions
from portal.health import run_checks


async def health(request):
    results = await run_checks()
    healthy = all(value == "OK" for value in results.values())
    body = {"status": "up" if healthy else "down"}
    if await _may_see_details(request):
        body.update(checks=results, version=_version())
    response = JsonResponse(body, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response


async def _may_see_details(request) -> bool:
    token = settings.HEALTH_TOKEN
    header = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    user = await request.auser()
    return user.is_authenticated and await sync_to_async(permissions.is_portal_administrator)(user)


def _version() -> str:
    try:
        return version("payrollsync")
    except PackageNotFoundError:
        return "unknown"
