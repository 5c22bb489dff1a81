"""Where Yuki is, from settings, and the Yuki client for an administration; the sandbox mount.

The payroll sources find their own endpoints (integrations/<source>/access.py) with `sandbox_url`."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F

from portal.models import ImportRun
from portal.yuki_store import CountingStore, DatabaseYukiStore
from yuki_client import YukiClient


def sandbox_url(vendor: str) -> str:
    return f"{settings.PORTAL_BASE_URL}/sandbox/{vendor}"


def yuki_endpoint() -> str:
    """YUKI_BASE_URL if set, else our sandbox in sandbox mode, else the region (NL or BE)."""
    if settings.YUKI_BASE_URL:
        return settings.YUKI_BASE_URL
    if settings.SANDBOX_ENABLED:
        return sandbox_url("yuki") + "/ws/"
    return settings.YUKI_REGION.upper()


def yuki_client(administration) -> YukiClient:
    return yuki_client_for(administration.domain, administration.yuki_access_key)


def yuki_client_for(domain, access_key: str) -> YukiClient:
    """A client for an access key that may not be stored yet (the administration form checks it first)."""
    return YukiClient(
        yuki_endpoint(),
        access_key,
        domain_id=domain.yuki_domain_id,
        store=CountingStore(DatabaseYukiStore()),  # client.store.reserved: the calls this client made
        daily_budget=settings.YUKI_DAILY_BUDGET,
        wsdl_cache_dir=settings.YUKI_WSDL_CACHE_DIR,
        timeout=settings.YUKI_TIMEOUT,
    )


def charge_yuki_calls(run, client: YukiClient) -> int:
    """Add the Yuki calls `client` made (its CountingStore) to the run's count, shown in the run log."""
    calls = client.store.reserved
    charge_calls(run.pk if run is not None else None, calls)
    return calls


def charge_calls(run_id: int | None, calls: int) -> None:
    """Add `calls` Yuki calls to the run's count (a run deleted meanwhile: nothing to count)."""
    if run_id is not None and calls:
        ImportRun.objects.filter(pk=run_id).update(yuki_calls=F("yuki_calls") + calls)
