"""Where Nmbrs is (NMBRS_ENVIRONMENT) and the one way the portal builds an Nmbrs client from stored
credentials, as integrations/loket/access.py does for Loket."""

from __future__ import annotations

from django.conf import settings

from connectors.nmbrs import environments
from connectors.nmbrs.client import NmbrsClient
from connectors.nmbrs.client import NmbrsCredentials as ClientCredentials
from integrations.nmbrs.models import NmbrsCredentials
from portal.vendors import sandbox_url


def nmbrs_base_url() -> str:
    """NMBRS_ENVIRONMENT: 'live', 'vendor-sandbox' (api-sandbox.nmbrs.nl), 'sandbox' (ours) or a URL."""
    value = settings.NMBRS_ENVIRONMENT
    if value == "sandbox":
        return sandbox_url("nmbrs") + "/soap/v3/"
    if value == "vendor-sandbox":
        return environments.VENDOR_SANDBOX
    return environments.resolve_base_url(value)


def client_credentials(credentials: NmbrsCredentials) -> ClientCredentials:
    return ClientCredentials(credentials.login_email, credentials.api_token, credentials.tenant_key)


def nmbrs_client_for(credentials: NmbrsCredentials, **client_options) -> NmbrsClient:
    """An NmbrsClient with the stored credentials, on the portal's Nmbrs environment."""
    return NmbrsClient(client_credentials(credentials), nmbrs_base_url(), **client_options)
