"""The one place that decides which settings apply to an administration (netbox-style resolution).

Order: the administration's own value when it opted out of the portal's, else the portal's.
Everything else (screens, scheduler, imports) calls `effective_settings` and never re-implements it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portal.models import Administration, ImportSettings, LoketConnection, NmbrsCredentials, PortalSettings


class Origin(StrEnum):
    PORTAL = "portal"
    ADMINISTRATION = "administration"


@dataclass(frozen=True)
class EffectiveSettings:
    administration: Administration
    import_settings: ImportSettings
    import_settings_origin: Origin
    loket_connection: LoketConnection | None
    loket_connection_origin: Origin
    nmbrs_credentials: NmbrsCredentials | None
    nmbrs_credentials_origin: Origin

    @property
    def payroll_link_active(self) -> bool:
        return self.administration.domain.payroll_link_active


def effective_settings(administration: Administration, portal: PortalSettings | None = None) -> EffectiveSettings:
    portal = portal or PortalSettings.load()

    def pick(use_portal: bool, own, portal_value):
        if use_portal:
            return portal_value, Origin.PORTAL
        return own, Origin.ADMINISTRATION

    import_settings, import_origin = pick(
        administration.use_portal_import_settings, administration.own_import_settings, portal.import_settings
    )
    if import_settings is None:
        # Opted out but nothing saved yet: nothing is imported automatically until it is set up.
        import_settings = ImportSettings(auto_import=False)
    loket, loket_origin = pick(
        administration.use_portal_loket_access, administration.own_loket_connection, portal.loket_connection
    )
    nmbrs, nmbrs_origin = pick(
        administration.use_portal_nmbrs_credentials, administration.own_nmbrs_credentials,
        portal.nmbrs_credentials,
    )
    return EffectiveSettings(
        administration=administration,
        import_settings=import_settings,
        import_settings_origin=import_origin,
        loket_connection=loket,
        loket_connection_origin=loket_origin,
        nmbrs_credentials=nmbrs,
        nmbrs_credentials_origin=nmbrs_origin,
    )
