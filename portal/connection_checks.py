"""Check an administration's connections: its payroll source and Yuki (for check_connections).

Every name and message is in the active language (the command's --language), vendors' errors included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.effective import effective_settings
from portal.scheduling import blocking_reason
from portal.sources.registry import source_of
from portal.yuki_check import Verdict, test_yuki
from portal.yuki_store import DatabaseYukiStore
from yuki_client import amsterdam_day


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
        # The key and administration ID as Yuki knows them, then the latest journal's accounts against
        # Yuki's chart (portal/yuki_check.py): two or three calls.
        check = test_yuki(administration)
        result.lines.append(("Yuki", check.verdict == Verdict.FOUND and not check.missing, check.message))
    result.yuki_calls_today = DatabaseYukiStore().calls_on(administration.domain.yuki_domain_id, amsterdam_day())
    return result
