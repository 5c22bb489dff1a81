"""Check an administration's connections: its payroll source and Yuki (for check_connections).

Every name and message is in the active language (the command's --language), vendors' errors included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.effective import effective_settings
from portal.imports.sources import user_message
from portal.models import PayrollSource
from portal.scheduling import blocking_reason
from portal.vendors import yuki_client
from portal.yuki_store import DatabaseYukiStore
from yuki_client import InvalidAccessKeyError, YukiError, amsterdam_day


@dataclass
class CheckResult:
    lines: list[tuple[str, bool, str]] = field(default_factory=list)
    yuki_calls_today: int = 0

    @property
    def ok(self) -> bool:
        return all(ok for _, ok, _ in self.lines)


def check_administration(administration, *, call_yuki: bool = True) -> CheckResult:
    result = CheckResult()
    effective = effective_settings(administration)
    reason = blocking_reason(effective, manual=True)
    result.lines.append((_("Settings"), not reason, reason or _("complete")))
    if administration.source == PayrollSource.LOKET:
        result.lines += _loket(effective)
    else:
        result.lines += _nmbrs(effective)
    if call_yuki and administration.yuki_access_key:
        try:
            client = yuki_client(administration)
            client.session_id()
            result.lines.append(("Yuki", True, _("access key accepted")))
        except InvalidAccessKeyError:
            result.lines.append(("Yuki", False, _("Yuki does not accept the access key: enter the right API key "
                                                  "on the administration page.")))
        except YukiError as exc:
            result.lines.append(("Yuki", False, _("Yuki could not be reached or refused the call: %(error)s") % {
                "error": getattr(exc, "message", str(exc))}))
    result.yuki_calls_today = DatabaseYukiStore().calls_on(administration.domain.yuki_domain_id, amsterdam_day())
    return result


def _loket(effective):
    from connectors.loket.checks import check_connection
    from connectors.loket.errors import LoketError

    if effective.loket_connection is None or not effective.loket_connection.is_authorised:
        return [("Loket", False, _("not authorised: click 'Connect to Loket' in the settings."))]
    from portal.loket_access import loket_client_for

    administration = effective.administration
    try:
        with loket_client_for(effective.loket_connection) as client:
            checks = check_connection(client, administration.loket_client_number, administration.wage_tax_number)
    except LoketError as exc:
        return [("Loket", False, user_message(exc))]
    return [(f"Loket: {_(c.name)}", c.ok, c.message_in(get_language())) for c in checks]


def _nmbrs(effective):
    from connectors.nmbrs.credentials import validate_credentials
    from connectors.nmbrs.errors import NmbrsError
    from portal.vendors import nmbrs_base_url

    credentials = effective.nmbrs_credentials
    if credentials is None:
        return [("Nmbrs", False, _("no API credentials: enter them in the settings."))]
    try:
        validate_credentials(credentials.login_email, credentials.api_token, credentials.tenant_key,
                             base_url=nmbrs_base_url(), company_id=effective.administration.nmbrs_company_id)
    except NmbrsError as exc:
        return [("Nmbrs", False, user_message(exc))]
    return [("Nmbrs", True, _("credentials accepted, company visible"))]
