"""The fetcher the import engine calls: Nmbrs documents of a company as `SourceDocument`s.

docs/vendors/nmbrs.md: the product fetches wage tax returns (by status, default "locked"), payslips and SEPA
files (plus journals for booking), and annual documents on demand ("Jaarstukken: als ze locked
zijn", fetched by a bulk action for many companies at once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from connectors.documents import DocumentKind, Period, SourceDocument, WaitingDocument, WaitReason
from connectors.nmbrs import mapping, operations, wage_tax_statuses
from connectors.nmbrs.client import NmbrsClient
from connectors.nmbrs.errors import NmbrsError, NotFound
from connectors.nmbrs.records import Run
from connectors.texts import format_date, gettext

DEFAULT_WAGE_TAX_STATUS = "locked"  # docs/vendors/nmbrs.md: "standaard alle aangiftes met de status 'locked'"

log = logging.getLogger(__name__)


def default_payment_date(period: Period) -> date:
    """The execution date asked of Nmbrs for a run's SEPA file: the last day of the period.
    (Salaries are paid at the end of the period in most Dutch payrolls; make it a setting if asked.)"""
    return period.end


@dataclass
class AnnualDocumentsResult:
    """Outcome of a bulk fetch: one company's failure never stops the others."""

    year: int
    documents: list[SourceDocument] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)  # company id -> why nothing was fetched
    failed: dict[int, NmbrsError] = field(default_factory=dict)  # company id -> the error
    missing: list[tuple[int, str]] = field(default_factory=list)  # (company id, slug) Nmbrs did not have

    def documents_of(self, company_id: int) -> list[SourceDocument]:
        return [d for d in self.documents if d.metadata.get("company_id") == company_id]


class NmbrsSource:
    def __init__(self, client: NmbrsClient, *, payment_date: Callable[[Period], date] = default_payment_date,
                 one_import: bool = False):
        """`one_import=True` when the source serves one import (seconds long): Run_GetList and WageTax_GetList
        answer for a whole year (docs/vendors/nmbrs.md, "Fewest calls"), so each is called once per company
        and year and the periods are picked from it, instead of once per period asked (an import asks for two
        months of wage tax returns). Off by default, so a long-lived source never answers from an old list."""
        self.client = client
        self.payment_date = payment_date
        self._year_lists: dict[tuple[str, int, int], list] | None = {} if one_import else None

    def _year_list(self, operation: str, company_id: int, year: int, call: Callable[[int, int], list]) -> list:
        key = (operation, company_id, year)
        if self._year_lists is not None and key in self._year_lists:
            return self._year_lists[key]
        listed = call(company_id, year)
        if self._year_lists is not None:
            self._year_lists[key] = listed
        return listed

    def documents(self, company_id: int, period: Period, kinds: Iterable[DocumentKind],
                  wage_tax_status: str | Iterable[str] | None = DEFAULT_WAGE_TAX_STATUS,
                  waiting: list[WaitingDocument] | None = None) -> list[SourceDocument]:
        """Documents of one company for one period. `wage_tax_status`: one status, several, or
        None for every status (Nmbrs cannot filter; we do, case-insensitively). The returns the filter
        does not take are added to `waiting` (with why and their status text), never dropped."""
        kinds = list(dict.fromkeys(kinds))
        if DocumentKind.ANNUAL_DOCUMENT in kinds:
            raise ValueError("annual documents are fetched per year: use NmbrsSource.annual_documents")
        out: list[SourceDocument] = []
        run_kinds = [k for k in kinds if k in operations.RUN_DOCUMENT_KINDS]
        if run_kinds:
            for run in self.runs_in(company_id, period):
                out.extend(self._run_documents(company_id, period, run, run_kinds))
        if DocumentKind.WAGE_TAX_RETURN in kinds:
            out.extend(self.wage_tax_returns(company_id, period, wage_tax_status, waiting))
        return out

    def runs_in(self, company_id: int, period: Period) -> list[Run]:
        runs = [r for r in self._year_list("runs", company_id, period.year, self.client.runs) if r.covers(period.number)]
        return sorted(runs, key=lambda r: (r.number, r.id))

    def _run_documents(self, company_id: int, period: Period, run: Run, kinds: list[DocumentKind]):
        for kind in kinds:
            if kind is DocumentKind.PAYSLIP:
                pdf = operations.fetch_payslips_pdf(self.client, company_id, run)
                yield mapping.run_file_document(company_id, period, run, kind, pdf)
            elif kind is DocumentKind.SEPA:
                xml = operations.fetch_sepa_xml(self.client, company_id, run, self.payment_date(period))
                yield mapping.run_file_document(company_id, period, run, kind, xml)
            elif kind is DocumentKind.JOURNAL:
                xml = operations.fetch_journal_xml(self.client, company_id, run)
                yield mapping.journal_document(company_id, period, run, xml)

    def wage_tax_returns(self, company_id: int, period: Period,
                         status: str | Iterable[str] | None = DEFAULT_WAGE_TAX_STATUS,
                         waiting: list[WaitingDocument] | None = None) -> list[SourceDocument]:
        wanted = None if status is None else ({status} if isinstance(status, str) else set(status))
        out = []
        for wage_tax in self._year_list("wage_tax_returns", company_id, period.year, self.client.wage_tax_returns):
            if wage_tax.period != period.number:
                continue
            if wanted is not None and not any(wage_tax_statuses.taken(wage_tax.status, s) for s in wanted):
                reason = wage_tax_statuses.why_not_taken(wage_tax.status, wanted)
                if reason is WaitReason.UNKNOWN_STATUS:
                    log.warning("Nmbrs wage tax return %s of company %s (%s) has status %r, which the portal does "
                                "not know; it waits. Add the text to connectors/nmbrs/wage_tax_statuses.py.",
                                wage_tax.id, company_id, period.key, wage_tax.status)
                if waiting is not None:  # not taken, but never dropped: the ledger records it as waiting
                    waiting.append(mapping.waiting_wage_tax(company_id, period, wage_tax, reason))
                continue
            xml = operations.fetch_wage_tax_xml(self.client, company_id, wage_tax.id)
            out.append(mapping.wage_tax_document(company_id, period, wage_tax, xml))
        return out

    def annual_documents(self, company_ids: Iterable[int], year: int,
                         documents: Iterable[operations.AnnualDocument] = operations.ANNUAL_DOCUMENTS
                         ) -> AnnualDocumentsResult:
        """Annual documents of `year` for each company, only once the year is finished: its final run
        covers the last period of the year and is locked (docs/vendors/nmbrs.md). Per company: documents, or why it
        was skipped, or the error that stopped it."""
        documents = list(documents)
        result = AnnualDocumentsResult(year)
        for company_id in dict.fromkeys(company_ids):
            try:
                runs = self.client.runs(company_id, year)
                final = final_run_of(runs)
                if final is None:
                    result.skipped[company_id] = gettext("no payroll runs in %(year)s") % {"year": year}
                    continue
                unfinished = why_year_not_finished(year, runs)
                if unfinished:
                    result.skipped[company_id] = unfinished
                    continue
                if not final.is_locked:
                    result.skipped[company_id] = gettext("the final run of %(year)s (%(run)s) is not locked yet") % {
                        "year": year, "run": mapping.run_name(final)}
                    continue
                for document in documents:
                    try:
                        pdf = operations.fetch_annual_document_pdf(self.client, company_id, final, document)
                    except NotFound:
                        result.missing.append((company_id, document.slug))
                        continue
                    result.documents.append(
                        mapping.annual_document_source(company_id, year, final, document, pdf))
            except NmbrsError as error:
                result.failed[company_id] = error
        return result


def final_run_of(runs: Iterable[Run]) -> Run | None:
    runs = list(runs)
    return max(runs, key=lambda r: (r.period_end, r.number, r.id)) if runs else None


def last_period_of_year(year: int, runs: Iterable[Run]) -> int:
    """The number of the year's last payroll period, read from the runs (Run_GetList does not say how
    often a company is paid): 12 for a monthly payroll; 13 once a run reaches period 13 (four-weekly);
    the year's last ISO week (52 or 53) once a run goes past 13 (weekly)."""
    highest = max((r.period_end for r in runs), default=0)
    if highest > 13:
        return date(year, 12, 28).isocalendar().week
    if highest == 13:
        return 13
    return 12


# The run of a year's last period (December, four-weekly period 13, the last week) is made in December
# at the earliest. A run made before then that reaches period 12 is a weekly or four-weekly payroll
# that has not reached its last period yet, not a finished monthly one.
YEAR_END_RUNS_FROM_MONTH = 12


def why_year_not_finished(year: int, runs: Iterable[Run]) -> str | None:
    """Why the payroll `year` is not finished (in words), or None when its final run covers the end of
    the year. Whether that run is locked is checked separately."""
    runs = list(runs)
    final = final_run_of(runs)
    if final is None:
        return gettext("no payroll runs in %(year)s") % {"year": year}
    last = last_period_of_year(year, runs)
    if final.period_end < last:
        return gettext("the payroll year %(year)s is not finished: the last run is period %(period)s "
                       "(%(run)s), the year ends with period %(last)s") % {
            "year": year, "period": final.period_end, "run": mapping.run_name(final), "last": last}
    if final.run_at is not None and (final.run_at.year, final.run_at.month) < (year, YEAR_END_RUNS_FROM_MONTH):
        return gettext("the payroll year %(year)s is not finished: the last run (period %(period)s, %(run)s) was "
                       "made on %(date)s, before the end of the year") % {
            "year": year, "period": final.period_end, "run": mapping.run_name(final),
            "date": format_date(final.run_at.date())}
    return None
