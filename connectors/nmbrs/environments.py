"""Where the Nmbrs SOAP services live: Nmbrs live, Nmbrs' own sandbox, or any base URL (ours).

docs/vendors/nmbrs.md: `https://api.nmbrs.nl/soap/v3/<Service>.asmx`, sandbox host `api-sandbox.nmbrs.nl`.
The XML namespace is always the api.nmbrs.nl one, whatever host serves the service.
"""

from __future__ import annotations

LIVE = "https://api.nmbrs.nl/soap/v3/"
VENDOR_SANDBOX = "https://api-sandbox.nmbrs.nl/soap/v3/"
NAMED = {"live": LIVE, "sandbox": VENDOR_SANDBOX}
NAMESPACE_ROOT = "https://api.nmbrs.nl/soap/v3/"

COMPANY_SERVICE = "CompanyService"
DEBTOR_SERVICE = "DebtorService"


def resolve_base_url(setting: str | None) -> str:
    """'live' / 'sandbox' / an URL (e.g. our sandbox, 'http://127.0.0.1:8000/sandbox/nmbrs/soap/v3/')
    -> the base URL ending in '/'. Empty means live. Meant for the portal's NMBRS_SOAP_BASE_URL setting."""
    value = (setting or "live").strip()
    if value.lower() in NAMED:
        return NAMED[value.lower()]
    if not value.startswith(("https://", "http://")):
        raise ValueError(f"Nmbrs SOAP base URL must be 'live', 'sandbox' or an http(s) URL, not {value!r}")
    return value.rstrip("/") + "/"


def service_url(base_url: str, service: str) -> str:
    return f"{base_url.rstrip('/')}/{service}.asmx"


def wsdl_url(base_url: str, service: str) -> str:
    return service_url(base_url, service) + "?WSDL"


def namespace(service: str) -> str:
    return f"{NAMESPACE_ROOT}{service}"
