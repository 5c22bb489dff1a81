"""The one place that decides which settings apply to an administration (netbox-style resolution).

Order: the administration's own value when it opted out of the portal's, else the portal's. That holds
for the import settings and for each source's access (PayrollSource.portal_defaults).
Everything else (screens, scheduler, imports) calls `effective_settings` and never re-implements it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from portal.models import Administration, ImportSettings, PortalSettings
from portal.sources import registry


class Origin(StrEnum):
    PORTAL = "portal"
    ADMINISTRATION = "administration"


@dataclass(frozen=True)
class EffectiveSettings:
    administration: Administration
    import_settings: ImportSettings
    import_settings_origin: Origin
    # The sources' settings (PayrollSource.portal_defaults), by name: (value, origin). Read them as
    # `effective.<name>` and `effective.<name>_origin`.
    source_settings: dict[str, tuple[Any, Origin]] = field(default_factory=dict)

    def __getattr__(self, name: str):
        settings = self.__dict__.get("source_settings", {})
        if name in settings:
            return settings[name][0]
        if name.endswith("_origin") and name.removesuffix("_origin") in settings:
            return settings[name.removesuffix("_origin")][1]
        raise AttributeError(f"{type(self).__name__!r} has no setting {name!r}")

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
    source_settings = {
        default.name: pick(default.uses_portal(administration), default.own(administration), default.portal(portal))
        for source in registry.all_sources() for default in source.portal_defaults
    }
    return EffectiveSettings(
        administration=administration,
        import_settings=import_settings,
        import_settings_origin=import_origin,
        source_settings=source_settings,
    )
