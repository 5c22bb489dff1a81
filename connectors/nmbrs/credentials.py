"""The Nmbrs connection fields (docs/vendors/nmbrs.md, "Credentials") and the one-call credential check.

- Client ID: the login e-mail; Client Secret: the API token; Tenant Key: the subdomain
  ("uit kantoor.nmbrs.nl haal je kantoor"); a pasted URL is reduced to the key.
- Saving validates with one call and explains failures in the user's words (errors.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from connectors.nmbrs.client import NmbrsClient, NmbrsCredentials
from connectors.nmbrs.environments import LIVE
from connectors.nmbrs.errors import InvalidCredentials, NoCompanyAccess
from connectors.nmbrs.records import Company
from connectors.texts import gettext_lazy as _

NMBRS_HOST_SUFFIXES = (".nmbrs.nl", ".nmbrs.com")
# Hosts of Nmbrs itself, never a tenant: someone pasted the API or marketing URL.
NOT_TENANTS = {"www", "api", "api-sandbox", "support", "nmbrs", "identityservice", "login"}
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class InvalidTenantKey(ValueError):
    user_message = _("Tenant Key not found. Enter the part before .nmbrs.nl in the URL of your Nmbrs account "
                     "(from kantoor.nmbrs.nl you take kantoor).")


def normalize_tenant_key(text: str) -> str:
    """'kantoor', 'Kantoor.nmbrs.nl', 'https://kantoor.nmbrs.nl/applications/...' -> 'kantoor'.
    Raises InvalidTenantKey for anything that cannot be a Nmbrs subdomain."""
    value = (text or "").strip().lower()
    if not value:
        raise InvalidTenantKey("Enter the Tenant Key: the part before .nmbrs.nl in your Nmbrs URL.")
    if "://" in value or "/" in value or "." in value:
        host = urlsplit(value if "://" in value else f"//{value}").hostname or ""
        suffix = next((s for s in NMBRS_HOST_SUFFIXES if host.endswith(s)), None)
        if suffix is None:
            raise InvalidTenantKey(f"{text.strip()!r} is not a Nmbrs address: the Tenant Key is the part "
                                   f"before .nmbrs.nl (from kantoor.nmbrs.nl it is 'kantoor').")
        value = host[: -len(suffix)]
        if "." in value:  # e.g. 'kantoor.app.nmbrs.nl': the tenant is the first label
            value = value.split(".", 1)[0]
    if value in NOT_TENANTS:
        raise InvalidTenantKey(f"{value!r} is Nmbrs' own address, not your tenant: use the part before "
                               f".nmbrs.nl in the URL you log in at.")
    if not _LABEL.match(value):
        raise InvalidTenantKey(f"{text.strip()!r} is not a valid Tenant Key: use only letters, digits and "
                               f"hyphens, as in the part before .nmbrs.nl in your Nmbrs URL.")
    return value


@dataclass(frozen=True)
class CredentialCheck:
    """What a successful check learned: the companies these credentials may see (for the mapping)."""

    credentials: NmbrsCredentials
    companies: list[Company]


def validate_credentials(username: str, token: str, tenant_key: str, *, base_url: str = LIVE,
                         company_id: int | None = None, client_factory=NmbrsClient) -> CredentialCheck:
    """One call (CompanyService.List_GetAll) with the given credentials. Raises the typed error
    (InvalidCredentials 1001, UnknownTenant 2043/1001-naming-the-domain, MissingApiRights 1002,
    NoCompanyAccess 1003 when `company_id` is not among the visible companies, NmbrsUnavailable...);
    1006 is retried by the client. `tenant_key` may be a pasted URL."""
    username, token = (username or "").strip(), (token or "").strip()
    if not username or "@" not in username:
        raise InvalidCredentials("Enter the Client ID: the e-mail address you log in to Nmbrs with.")
    if not token:
        raise InvalidCredentials("Enter the Client Secret: the API token from User profile > API token in Nmbrs.")
    credentials = NmbrsCredentials(username, token, normalize_tenant_key(tenant_key))
    client = client_factory(credentials, base_url)
    companies = client.companies()
    if company_id is not None and not any(c.id == company_id for c in companies):
        raise NoCompanyAccess(f"The Nmbrs user {username} has no access to company {company_id}. Grant access "
                              f"in Nmbrs or link another company.", operation="List_GetAll")
    return CredentialCheck(credentials, companies)
