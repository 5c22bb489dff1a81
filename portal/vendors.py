"""Where the vendors are, from settings, in one place; and the Yuki client for an administration."""

from __future__ import annotations

from django.conf import settings

from connectors.nmbrs import environments as nmbrs_environments
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
    return YukiClient(
        yuki_endpoint(),
        administration.yuki_access_key,
        domain_id=administration.domain.yuki_domain_id,
        store=CountingStore(DatabaseYukiStore()),  # client.store.reserved: the calls this client made
        daily_budget=settings.YUKI_DAILY_BUDGET,
        wsdl_cache_dir=settings.YUKI_WSDL_CACHE_DIR,
        timeout=settings.YUKI_TIMEOUT,
    )


def charge_yuki_calls(run, client: YukiClient) -> int:
    """Add the Yuki calls `client` made (its CountingStore) to the run's count, shown in the run log."""
    from django.db.models import F

    from portal.models import ImportRun

    calls = client.store.reserved
    if run is not None and calls:
        ImportRun.objects.filter(pk=run.pk).update(yuki_calls=F("yuki_calls") + calls)
    return calls


def nmbrs_base_url() -> str:
    """NMBRS_ENVIRONMENT: 'live', 'vendor-sandbox' (api-sandbox.nmbrs.nl), 'sandbox' (ours) or a URL."""
    value = settings.NMBRS_ENVIRONMENT
    if value == "sandbox":
        return sandbox_url("nmbrs") + "/soap/v3/"
    if value == "vendor-sandbox":
        return nmbrs_environments.VENDOR_SANDBOX
    return nmbrs_environments.resolve_base_url(value)


def loket_environment():
    """LOKET_ENVIRONMENT: production, acceptance, or sandbox (ours, at LOKET_SANDBOX_URL or mounted)."""
    from connectors.loket.environments import environment

    name = settings.LOKET_ENVIRONMENT
    if name == "sandbox":
        return environment("sandbox", sandbox_prefix=settings.LOKET_SANDBOX_URL or sandbox_url("loket"))
    return environment(name)


def loket_client_credentials() -> tuple[str, str]:
    """The portal's Loket API client; in sandbox mode the sandbox's own client when none is set."""
    if settings.LOKET_CLIENT_ID or settings.LOKET_ENVIRONMENT != "sandbox":
        return settings.LOKET_CLIENT_ID, settings.LOKET_CLIENT_SECRET
    from sandbox.loket import data

    return data.CLIENT_ID, data.CLIENT_SECRET
