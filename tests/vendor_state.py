"""Tests create administrations with their sources' state in one call: the fields of a source's link model
(integrations/<source>/models.py) given by the names the Administration columns had before they moved."""

from __future__ import annotations

from integrations.loket.models import LoketConnection, LoketLink, set_portal_connection
from integrations.nmbrs.models import NmbrsCredentials, NmbrsImportOptions, NmbrsLink, set_portal_credentials
from portal.models import Administration, ImportSettings, PortalSettings

LINK_FIELDS = {
    "use_portal_loket_access": (LoketLink, "use_portal_access"),
    "own_loket_connection": (LoketLink, "own_connection"),
    "use_portal_nmbrs_credentials": (NmbrsLink, "use_portal_credentials"),
    "own_nmbrs_credentials": (NmbrsLink, "own_credentials"),
    "nmbrs_company_id": (NmbrsLink, "company_id"),
    "nmbrs_company_number": (NmbrsLink, "company_number"),
    "nmbrs_company_name": (NmbrsLink, "company_name"),
}

__all__ = ["LoketConnection", "NmbrsCredentials", "make_administration", "nmbrs_options", "set_links",
           "set_portal_connection", "set_portal_credentials"]


def set_links(administration: Administration, **fields) -> Administration:
    """Write link fields (by their former Administration names) on the administration's links."""
    by_model: dict[type, dict] = {}
    for name, value in fields.items():
        model, field = LINK_FIELDS[name]
        by_model.setdefault(model, {})[field] = value
    for model, values in by_model.items():
        model.objects.update_or_create(administration=administration, defaults=values)
    for cache in ("loket_link", "nmbrs_link"):
        administration._state.fields_cache.pop(cache, None)
    return administration


def make_administration(**fields) -> Administration:
    links = {name: fields.pop(name) for name in list(fields) if name in LINK_FIELDS}
    return set_links(Administration.objects.create(**fields), **links)


def nmbrs_options(import_settings: ImportSettings, **values) -> NmbrsImportOptions:
    options, _ = NmbrsImportOptions.objects.update_or_create(import_settings=import_settings, defaults=values)
    import_settings._state.fields_cache.pop("nmbrs_options", None)
    return options


def portal_settings() -> PortalSettings:
    return PortalSettings.load()


def portal_loket_connection() -> LoketConnection | None:
    """The portal's shared Loket connection, read anew."""
    from integrations.loket.models import portal_connection

    return portal_connection(PortalSettings.load())


def portal_nmbrs_credentials() -> NmbrsCredentials | None:
    """The portal's shared Nmbrs credentials, read anew."""
    from integrations.nmbrs.models import portal_credentials

    return portal_credentials(PortalSettings.load())
