"""The first-contact diagnostic for one administration (`check_connections --deep`, and the button on
the administration page): its payroll source's deep check (PayrollSource.deep_check) for a period,
as a plain report, and the redacted answers written to a folder for sandbox fixtures.

Only reads: nothing is booked, the ledger is not touched, no write at the source. Yuki is asked one
thing (its chart of accounts, when the ledger holds a journal entry): which accounts of the latest journal
it lacks (portal/account_check.py).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from connectors.documents import Period
from connectors.errors import SourceError
from portal import account_check, yuki_check
from portal.effective import effective_settings
from portal.models import Administration
from portal.sources.base import DeepReport
from portal.sources.messages import user_message
from portal.sources.registry import source_of
from yuki_client import YukiError
from yuki_client.fault_messages import reason


class NotFound(LookupError):
    """No single administration matches: the message says why, in the user's language."""


def find_administration(text: str) -> Administration:
    """By id, or by name (exact, any case): a name two administrations share must be given as an id."""
    text = (text or "").strip()
    query = Q(name__iexact=text) | (Q(pk=int(text)) if text.isdigit() else Q())
    found = list(Administration.objects.select_related("domain").filter(query)[:3])
    if not found:
        raise NotFound(_("No administration with id or name '%(text)s'.") % {"text": text})
    if len(found) > 1:
        raise NotFound(_("More than one administration is called '%(text)s': give its id (%(ids)s).") % {
            "text": text, "ids": ", ".join(str(a.pk) for a in found)})
    return found[0]


def parse_period(text: str | None, today: date | None = None) -> Period:
    """'2026-11' (YYYY-MM); empty: the current month."""
    if not text:
        today = today or timezone.localdate()
        return Period.month(today.year, today.month)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(_("A period is written as YYYY-MM, e.g. 2026-11; not '%(text)s'.") % {"text": text})
    return Period.month(int(match.group(1)), int(match.group(2)))


def run(administration: Administration, period: Period) -> DeepReport:
    try:
        report = source_of(administration).deep_check(effective_settings(administration), period)
    except SourceError as exc:  # the source could not be reached at all
        report = DeepReport()
        report.add("error", administration.get_source_display(), user_message(exc))
    yuki_accounts(report, administration)
    return report


def yuki_accounts(report: DeepReport, administration: Administration) -> None:
    """The accounts of the latest journal entry (after the mapping) that Yuki's chart lacks."""
    label = _("Yuki ledger accounts")
    try:
        entry, missing = yuki_check.missing_in_latest_journal(administration)
    except YukiError as exc:
        report.add("warning", label, _("Yuki's chart of accounts could not be read: %(error)s.") % {
            "error": reason(exc)})
        return
    if entry is None:
        return
    if missing:
        report.add("error", label, account_check.describe(missing, administration))
    else:
        report.add("ok", label, _("Every account of %(title)s exists in Yuki.") % {"title": entry.title})


def write_samples(report: DeepReport, directory: str | Path) -> list[Path]:
    """The redacted answers as files in `directory` (created); the paths written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in sorted(report.samples.items()):
        path = folder / Path(name).name  # a plain name: never outside the folder
        path.write_bytes(content)
        written.append(path)
    return written


def level_label(level: str) -> str:
    return {"ok": _("ok"), "warning": _("check"), "error": _("error")}.get(level, level)


def summary(report: DeepReport) -> str:
    errors = sum(f.level == "error" for f in report.findings)
    warnings = sum(f.level == "warning" for f in report.findings)
    if not errors and not warnings:
        return _("Every answer has the shape the code expects.")
    return _("%(errors)s, %(points)s to check. Nothing was booked.") % {
        "errors": ngettext("%(n)s error", "%(n)s errors", errors) % {"n": errors},
        "points": ngettext("%(n)s point", "%(n)s points", warnings) % {"n": warnings}}
