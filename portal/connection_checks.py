"""Check an administration's connections: its payroll source and Yuki (for check_connections).

Every name and message is in the active language (the command's --language), vendors' errors included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.effective import effective_settings
from portal.scheduling import blocking_reason
from portal.sources.registry import source_of
from portal.vendors import yuki_client
from portal.yuki_store import DatabaseYukiStore
from yuki_client import InvalidAccessKeyError, YukiError, amsterdam_day, fault_messages


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
    result.lines += source_of(administration).check_connection(effective)
    if call_yuki and administration.yuki_access_key:
        try:
            client = yuki_client(administration)
            client.session_id()
            result.lines.append(("Yuki", True, _("access key accepted")))
        except InvalidAccessKeyError:
            result.lines.append(("Yuki", False, _("Yuki does not accept the access key: enter the right API key "
                                                  "on the administration page.")))
        except YukiError as exc:
            result.lines.append(("Yuki", False, _("Yuki could not be reached or refused the call: %(error)s.") % {
                "error": fault_messages.reason(exc)}))
    result.yuki_calls_today = DatabaseYukiStore().calls_on(administration.domain.yuki_domain_id, amsterdam_day())
    return result
