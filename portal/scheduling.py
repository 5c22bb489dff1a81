"""When an administration is due for an import: the scheduling rules, in one place.

`due_import(effective, now)` is the rule (no database access: everything it needs is in the
effective settings); `due_imports(now)` applies it to every administration. The beat calls the latter
every few minutes; the slot key of what it returns makes each slot run once (ImportRun's unique
constraint), so a slot that was missed while the scheduler was down is simply still due later.

- Each payroll source says when it is due (`PayrollSource.slot`, in integrations/<source>/source.py)
  and what blocks it (its connection).
- The plan is the same for every source: each document kind the source delivers and the import
  settings select, for the months of the kind's window (connectors/kinds.py: payslips, journal
  entries and SEPA files of the current month, wage tax returns of the previous and the current one).
- Never for a domain without the payroll link feature, without automatic import, or with a broken
  connection: those return a skip (at most one a day), so the run log says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from connectors import kinds
from connectors.documents import DocumentKind, Period
from portal.effective import EffectiveSettings, effective_settings
from portal.models import Administration, ImportSettings, PortalSettings
from portal.sources import registry, shared_access


@dataclass(frozen=True)
class DueImport:
    administration: Administration
    slot: str
    reference_date: date
    plan: dict[DocumentKind, tuple[Period, ...]] = field(default_factory=dict)
    skip_reason: str = ""


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def nightly_time() -> time:
    hours, minutes = (int(part) for part in settings.IMPORT_NIGHTLY_TIME.split(":"))
    return time(hours, minutes)


def at_local(day: date, moment: time) -> datetime:
    # fold=0: on the October night the first 02:30; on the March night 02:30 does not exist and this
    # resolves to 03:30 CEST, after the gap. Either way the slot (a date) runs once.
    return datetime.combine(day, moment, tzinfo=local_zone()).replace(fold=0)


def import_plan(source: str, import_settings: ImportSettings, day: date) -> dict[DocumentKind, tuple[Period, ...]]:
    """What a scheduled import on `day` fetches: each kind the source offers and the import settings select
    (its `setting`), for the months of its window (connectors/kinds.py)."""
    offered = registry.get(source).document_kinds
    plan: dict[DocumentKind, tuple[Period, ...]] = {}
    for kind in kinds.all_kinds():
        if kind.key in offered and kind.window != kinds.Window.ON_REQUEST and (
                not kind.setting or getattr(import_settings, kind.setting)):
            plan[kinds.named(kind.key)] = tuple(Period.month(year, month) for year, month in kind.window.periods(day))
    return plan


def chosen_pause(effective: EffectiveSettings, *, manual: bool = False) -> str:
    """Why nothing is imported because a person chose so (the contract's feature off, automatic import
    off), in words for the run log; '' if no one did. Such a run is skipped, never a failure.

    A manual run (a person pressed "Import now") is not stopped by automatic import being off.
    """
    if not effective.payroll_link_active:
        return _("The domain %(domain)s has no active payroll link feature (contract): nothing is imported.") % {
            "domain": effective.administration.domain.name}
    if not manual and not effective.import_settings.auto_import:
        return _("Automatic import is switched off for this administration.")
    return ""


def blocking_reason(effective: EffectiveSettings, *, manual: bool = False) -> str:
    """Why this administration cannot be imported now, in words for the run log ('' if it can): a state a
    person chose (`chosen_pause`) or something to put right."""
    administration = effective.administration
    if chosen := chosen_pause(effective, manual=manual):
        return chosen
    if not administration.yuki_access_key or not administration.yuki_administration_id:
        return _("The Yuki access key or administration ID is missing: enter them on the administration page.")
    if refused := shared_access.refusal(administration):
        return refused
    return registry.source_of(administration).blocking_reason(effective)


def due_import(effective: EffectiveSettings, now: datetime) -> DueImport | None:
    """The rule: is this administration due at `now`, for which slot and documents, or skipped why."""
    administration = effective.administration
    import_settings = effective.import_settings
    slot = registry.source_of(administration).slot(import_settings, now)
    if slot is None:
        return None
    day = slot.day
    reason = blocking_reason(effective)
    plan = import_plan(administration.source, import_settings, day)
    if not reason and not plan:
        reason = _("No document kinds are selected for automatic import.")
    if reason:
        # One skip a day is enough to explain it, and it does not take the run's slot: once the
        # problem is fixed the same day, the (caught-up) run still happens.
        return DueImport(administration, slot=f"skip:{administration.source}:{day.isoformat()}", reference_date=day,
                         skip_reason=reason)
    return DueImport(administration, slot=slot.key, reference_date=day, plan=plan)


def due_imports(now: datetime) -> list[DueImport]:
    portal = PortalSettings.load()
    administrations = Administration.objects.select_related("domain", "own_import_settings",
                                                            *registry.administration_relations())
    due = []
    for administration in administrations:
        item = due_import(effective_settings(administration, portal), now)
        if item is not None:
            due.append(item)
    return due


def plan_for(administration: Administration, month: date | None) -> dict[DocumentKind, tuple[Period, ...]]:
    """Import now: the same documents the schedule would fetch; a chosen month: that month only."""
    settings_ = effective_settings(administration).import_settings
    if month is None:
        return import_plan(administration.source, settings_, timezone.localdate())
    period = Period.month(month.year, month.month)
    plan = import_plan(administration.source, settings_, month)
    return {kind: (period,) for kind in plan} or {DocumentKind.PAYSLIP: (period,)}
