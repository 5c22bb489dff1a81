"""The connection state of an administration's payroll source, in words for the screens."""

from django.utils.translation import gettext_lazy as _

from portal.effective import EffectiveSettings
from portal.models import PayrollSource
from portal.models.connections import ConnectionStatus


def connection_state(effective: EffectiveSettings) -> dict:
    """{'ok': bool, 'label': text, 'origin': 'portal'|'administration'} for the dashboard."""
    administration = effective.administration
    if administration.source == PayrollSource.LOKET:
        connection, origin = effective.loket_connection, effective.loket_connection_origin
        if connection is None or connection.status == ConnectionStatus.NOT_CONNECTED:
            return {"ok": False, "label": _("Loket not connected"), "origin": origin}
        if connection.status == ConnectionStatus.BROKEN:
            return {"ok": False, "label": _("Loket: re-authorisation needed"), "origin": origin}
        return {"ok": True, "label": _("Loket authorised"), "origin": origin}
    credentials, origin = effective.nmbrs_credentials, effective.nmbrs_credentials_origin
    if credentials is None:
        return {"ok": False, "label": _("Nmbrs credentials missing"), "origin": origin}
    if credentials.status == ConnectionStatus.BROKEN:
        return {"ok": False, "label": _("Nmbrs credentials rejected"), "origin": origin}
    if credentials.status == ConnectionStatus.NOT_CONNECTED:
        return {"ok": False, "label": _("Nmbrs credentials not yet checked"), "origin": origin}
    return {"ok": True, "label": _("Nmbrs connected"), "origin": origin}
