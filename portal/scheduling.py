"""When an administration is due for an import: the scheduling rules, in one place.

`due_import(effective, now)` is the rule (no database access: everything it needs is in the
effective settings); `due_imports(now)` applies it to every administration. The beat calls the latter
every few minutes; the slot key of what it returns makes each slot run once (ImportRun's unique
constraint), so a slot that was missed while the scheduler was down is simply still due later.

- Loket (seed 000): on days inside the first/last-day window, once a night at IMPORT_NIGHTLY_TIME
  (Europe/Amsterdam); payslips and journal entries of the current month, wage tax returns of the
  previous and the current month. A missed night is caught up within IMPORT_CATCH_UP_HOURS.
- Nmbrs (seed 002): every hour from 07:00 to 20:00; a missed hour is not caught up (the next covers it).
- Never for a domain without the payroll link feature, without automatic import, or with a broken
  connection: those return a skip (at most one a day), so the run log says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from connectors.documents import DocumentKind, Period
from portal.effective import EffectiveSettings, effective_settings
from portal.models import Administration, ImportSettings, PayrollSource, PortalSettings
from portal.models.connections import ConnectionStatus

NMBRS_FIRST_HOUR, NMBRS_LAST_HOUR = 7, 20


@dataclass(frozen=True)
class DueImport:
    administration: Administration
    slot: str
    reference_date: date
    plan: dict[DocumentKind, tuple[Period, ...]] = field(default_factory=dict)
    skip_reason: str = ""

    @property
    def periods(self) -> list[str]:
        return sorted({p.key for periods in self.plan.values() for p in periods})


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def nightly_time() -> time:
    hours, minutes = (int(part) for part in settings.IMPORT_NIGHTLY_TIME.split(":"))
    return time(hours, minutes)


def at_local(day: date, moment: time) -> datetime:
    # fold=0: on the October night the first 02:30; on the March night 02:30 does not exist and this
    # resolves to 03:30 CEST, after the gap. Either way the slot (a date) runs once.
    return datetime.combine(day, moment, tzinfo=local_zone()).replace(fold=0)


def in_window(day: date, import_settings: ImportSettings) -> bool:
    """Seed 000's first/last day of the current month; a last day past the month's end means its end."""
    return import_settings.first_day <= day.day <= import_settings.last_day


def loket_slot_date(import_settings: ImportSettings, now: datetime) -> date | None:
    """The latest night inside the window whose import time has passed, if recent enough."""
    local_now = now.astimezone(local_zone())
    earliest = now - timedelta(hours=settings.IMPORT_CATCH_UP_HOURS)
    day = local_now.date()
    for _offset in range(settings.IMPORT_CATCH_UP_HOURS // 24 + 2):
        due = at_local(day, nightly_time())
        if due <= now and in_window(day, import_settings):
            return day if due >= earliest else None
        if due < earliest:
            return None
        day -= timedelta(days=1)
    return None


def nmbrs_slot_hour(now: datetime) -> datetime | None:
    local_now = now.astimezone(local_zone())
    if NMBRS_FIRST_HOUR <= local_now.hour <= NMBRS_LAST_HOUR:
        return local_now.replace(minute=0, second=0, microsecond=0)
    return None


def import_plan(source: str, import_settings: ImportSettings, day: date) -> dict[DocumentKind, tuple[Period, ...]]:
    current = Period.month(day.year, day.month)
    previous_day = day.replace(day=1) - timedelta(days=1)
    previous = Period.month(previous_day.year, previous_day.month)
    plan: dict[DocumentKind, tuple[Period, ...]] = {}
    if import_settings.import_payslips:
        plan[DocumentKind.PAYSLIP] = (current,)
    if import_settings.import_journals:
        plan[DocumentKind.JOURNAL] = (current,)
    if import_settings.import_wage_tax_returns:
        plan[DocumentKind.WAGE_TAX_RETURN] = (previous, current)
    if source == PayrollSource.NMBRS and import_settings.import_sepa_files:
        plan[DocumentKind.SEPA] = (current,)
    return plan


def blocking_reason(effective: EffectiveSettings, *, manual: bool = False) -> str:
    """Why this administration cannot be imported now, in words for the run log ('' if it can).

    A manual run (a person pressed "Import now") is not blocked by automatic import being off.
    """
    administration = effective.administration
    if not effective.payroll_link_active:
        return _("The domain %(domain)s has no active payroll link feature (contract): nothing is imported.") % {
            "domain": administration.domain.name}
    if not manual and not effective.import_settings.auto_import:
        return _("Automatic import is switched off for this administration.")
    if not administration.yuki_access_key or not administration.yuki_administration_id:
        return _("The Yuki access key or administration ID is missing: enter them on the administration page.")
    if administration.source == PayrollSource.LOKET:
        connection = effective.loket_connection
        if connection is None or connection.status == ConnectionStatus.NOT_CONNECTED:
            return _("Loket is not connected: click 'Connect to Loket' in the settings.")
        if connection.status == ConnectionStatus.BROKEN:
            return _("Loket needs to be authorised again (%(reason)s): click 'Connect to Loket'.") % {
                "reason": connection.status_reason or _("the authorisation was revoked or expired")}
    else:
        credentials = effective.nmbrs_credentials
        if credentials is None:
            return _("The Nmbrs credentials are missing: enter them on the administration page.")
        if credentials.status == ConnectionStatus.BROKEN:
            return _("Nmbrs refused the credentials (%(reason)s): check them on the administration page.") % {
                "reason": credentials.status_reason or _("unknown reason")}
        if not administration.nmbrs_company_id and not effective.import_settings.nmbrs_number_must_match:
            return _("No Nmbrs company is linked to this administration yet.")
    return ""


def due_import(effective: EffectiveSettings, now: datetime) -> DueImport | None:
    """The rule: is this administration due at `now`, for which slot and documents, or skipped why."""
    administration = effective.administration
    import_settings = effective.import_settings
    if administration.source == PayrollSource.LOKET:
        day = loket_slot_date(import_settings, now)
        if day is None:
            return None
        slot = f"loket:{day.isoformat()}"
    else:
        hour = nmbrs_slot_hour(now)
        if hour is None:
            return None
        day = hour.date()
        slot = f"nmbrs:{hour:%Y-%m-%dT%H}"
    reason = blocking_reason(effective)
    plan = import_plan(administration.source, import_settings, day)
    if not reason and not plan:
        reason = _("No document kinds are selected for automatic import.")
    if reason:
        # One skip a day is enough to explain it, and it does not take the run's slot: once the
        # problem is fixed the same day, the (caught-up) run still happens.
        return DueImport(administration, slot=f"skip:{administration.source}:{day.isoformat()}", reference_date=day,
                         skip_reason=reason)
    return DueImport(administration, slot=slot, reference_date=day, plan=plan)


def due_imports(now: datetime) -> list[DueImport]:
    portal = PortalSettings.load()
    administrations = Administration.objects.select_related(
        "domain", "own_import_settings", "own_loket_connection", "own_nmbrs_credentials")
    due = []
    for administration in administrations:
        item = due_import(effective_settings(administration, portal), now)
        if item is not None:
            due.append(item)
    return due
