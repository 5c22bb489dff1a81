"""What the import engine calls: the Loket documents of one administration and period.

    source = LoketSource(client)
    docs = source.documents("40123", "812345678L01", Period.month(2026, 11),
                            kinds={DocumentKind.PAYSLIP, DocumentKind.JOURNAL})

Which periods to ask for is the engine's rule (docs/vendors/loket.md: payslips and journals of the current month,
wage tax returns of the previous and current month); this module fetches whatever period it is given.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from connectors.documents import DocumentKind, Period, SourceDocument, WaitingDocument
from connectors.loket import endpoints, mapping
from connectors.loket.administrations import LoketAdministration, find_administration
from connectors.loket.client import LoketClient, LoketFile
from connectors.loket.errors import LoketNotFound

log = logging.getLogger(__name__)

KINDS = (DocumentKind.PAYSLIP, DocumentKind.JOURNAL, DocumentKind.WAGE_TAX_RETURN)


def _period_filter(prefix: str, period: Period) -> str:
    return f"{prefix}year eq {period.year} and {prefix}periodNumber eq {period.number}"


def _overlaps(employment: dict, period: Period) -> bool:
    try:
        start = employment.get("startDate")
        end = employment.get("endDate")
        if start and date.fromisoformat(str(start)[:10]) > period.end:
            return False
        return not (end and date.fromisoformat(str(end)[:10]) < period.start)
    except ValueError:
        return True  # unreadable dates: ask Loket rather than skip an employee


class LoketSource:
    def __init__(self, client: LoketClient, *, one_import: bool = False):
        """`one_import=True` when the source serves one import (seconds long): an import asks for the wage
        tax returns of two months (docs/vendors/loket.md), so the year's list is read once per administration
        and year and each month picked from it, instead of one list call per month. Off by default, so a
        long-lived source never answers from an old list."""
        self.client = client
        self._tax_return_lists: dict[tuple[str, int], list[dict]] | None = {} if one_import else None

    def find_administration(self, client_number: str, wage_tax_number: str) -> LoketAdministration:
        return find_administration(self.client, client_number, wage_tax_number)

    def documents(self, client_number: str, wage_tax_number: str, period: Period,
                  kinds: Iterable[DocumentKind] = KINDS,
                  waiting: list[WaitingDocument] | None = None) -> list[SourceDocument]:
        """The period's documents; what Loket shows but is not final yet is added to `waiting`."""
        return self.documents_of(self.find_administration(client_number, wage_tax_number), period, kinds, waiting)

    def documents_of(self, admin: LoketAdministration, period: Period, kinds: Iterable[DocumentKind] = KINDS,
                     waiting: list[WaitingDocument] | None = None) -> list[SourceDocument]:
        """As documents(), for an administration already looked up."""
        wanted = set(kinds)
        documents: list[SourceDocument] = []
        if DocumentKind.PAYSLIP in wanted:
            documents += self.payslips(admin, period)
        if DocumentKind.JOURNAL in wanted:
            documents += self.journals(admin, period, waiting)
        if DocumentKind.WAGE_TAX_RETURN in wanted:
            documents += self.wage_tax_returns(admin, period, waiting)
        return documents

    # --- payslips ----------------------------------------------------------------------------------

    def payroll_period(self, admin: LoketAdministration, period: Period) -> dict | None:
        """Loket's payroll period (with its id) for `period`, or None if the administration has none.
        The resource declares no filter, so the list is read whole and the period picked here."""
        items = self.client.iter_list(endpoints.path(endpoints.PAYROLL_PERIODS, administration_id=admin.id))
        return next((item for item in items if mapping.matches_period(item, period)), None)

    def employments(self, admin: LoketAdministration, period: Period) -> list[dict]:
        """The employer's employments in this payroll administration that overlap the period."""
        items = self.client.iter_list(endpoints.path(endpoints.EMPLOYMENTS, employer_id=admin.employer_id),
                                      version=endpoints.EMPLOYMENTS_VERSION)
        mine = []
        for item in items:
            administration_id = (item.get("payrollAdministration") or {}).get("id")
            if administration_id and str(administration_id) != admin.id:
                continue  # the employer has more payroll administrations; this one is not ours
            if _overlaps(item, period):
                mine.append(item)
        return mine

    def payslips(self, admin: LoketAdministration, period: Period) -> list[SourceDocument]:
        loket_period = self.payroll_period(admin, period)
        if loket_period is None:
            log.info("Loket administration %s has no payroll period %s", admin.id, period)
            return []
        documents = []
        shared_id: str | None = None  # the period's {payrollPeriodId}, learnt once per administration
        sharing = True  # until Loket refuses a shared id: then every employment reads its own metadata
        for employment in self.employments(admin, period):
            listed = self.client.iter_list(
                endpoints.path(endpoints.PAYSLIP_LIST, employment_id=employment["id"]),
                filter=_period_filter("payrollPeriod.", period))
            runs = [str(item.get("payrollrunId")) for item in listed
                    if mapping.matches_period(item.get("payrollPeriod"), period)]
            if not runs:
                continue
            pdf, summary_id, refused = self.payslip_pdf(employment, period, shared_id if sharing else None)
            sharing = sharing and not refused
            shared_id = summary_id
            documents.append(mapping.payslip_document(admin, employment, loket_period["id"], period, pdf, runs,
                                                      summary_period_id=summary_id))
        return documents

    def payslip_pdf(self, employment: dict, period: Period,
                    known_id: str | None) -> tuple[LoketFile, str, bool]:
        """The period's cumulative payslip of one employment, the {payrollPeriodId} it was fetched with, and
        whether Loket refused `known_id` for it.

        The spec says the download's metadata lists the employer's payroll periods (which ones depends on
        the employer's year filter setting), so the id read from one employment's metadata is tried for
        the others of the same payroll administration: one metadata call per administration instead of one
        per employee (docs/vendors/loket.md, "Fewest calls"). Should Loket refuse it for an employment
        (404), that employment's own metadata is read and its id used (a payslip is never skipped), and the
        caller stops sharing ids for the rest of the administration."""
        refused = False
        if known_id is not None:
            try:
                return self._summary_pdf(employment, known_id), known_id, False
            except LoketNotFound:
                log.info("Loket refused payslip period id %s for employment %s; reading its own metadata",
                         known_id, employment["id"])
                refused = True
        own_id = self.payslip_summary_id(employment, period)
        return self._summary_pdf(employment, own_id), own_id, refused

    def _summary_pdf(self, employment: dict, summary_id: str) -> LoketFile:
        return self.client.get_file(endpoints.path(endpoints.PAYSLIP_PDF, employment_id=employment["id"],
                                                   payroll_period_id=summary_id), endpoints.MEDIA_PDF)

    def payslip_summary_id(self, employment: dict, period: Period) -> str:
        """The {payrollPeriodId} of the period's cumulative payslip, from the download's metadata."""
        body = self.client.get_body(endpoints.path(endpoints.PAYSLIP_SUMMARY_METADATA,
                                                   employment_id=employment["id"]))
        return mapping.summary_period_id(body, period, str(employment["id"]))

    # --- journals ----------------------------------------------------------------------------------

    def journals(self, admin: LoketAdministration, period: Period,
                 waiting: list[WaitingDocument] | None = None) -> list[SourceDocument]:
        """One journal document per finished, not removed journal run of the period; an unfinished
        run is added to `waiting` (booked by a later import, once it has results)."""
        runs = self.client.iter_list(endpoints.path(endpoints.JOURNAL_RUNS, administration_id=admin.id),
                                     filter=_period_filter("payrollRun.payrollPeriod.", period))
        documents = []
        for run in runs:
            if not mapping.matches_period((run.get("payrollRun") or {}).get("payrollPeriod"), period):
                continue
            if run.get("removeTime"):
                continue
            status = (run.get("journalRunStatus") or {}).get("key")
            if status in endpoints.JOURNAL_RUN_STATUSES_WITHOUT_RESULTS:
                log.info("Loket journal run %s of %s is not finished (status %s)", run.get("id"), period, status)
                if waiting is not None:
                    waiting.append(mapping.waiting_journal(run, period))
                continue
            results = self.client.list_all(
                endpoints.path(endpoints.JOURNAL_RUN_RESULTS, journal_run_id=run["id"]),
                params={"consolidate": endpoints.JOURNAL_RESULTS_CONSOLIDATION})
            documents.append(mapping.journal_document(admin, run, results, period))
        return documents

    # --- wage tax returns --------------------------------------------------------------------------

    def wage_tax_returns(self, admin: LoketAdministration, period: Period,
                         waiting: list[WaitingDocument] | None = None) -> list[SourceDocument]:
        """The period's accepted returns; one not accepted yet is added to `waiting` with its status."""
        documents = []
        for item in self.tax_returns_of_year(admin, period.year):
            if not mapping.matches_period(item.get("period"), period) or item.get("removalTime"):
                continue
            if item.get("payrollTaxReturnStatus") and not mapping.tax_return_is_final(item):
                # Not accepted yet: booked by a later import, once final (not read now: saves three calls).
                if waiting is not None:
                    waiting.append(mapping.waiting_tax_return(admin, item, period))
                continue
            tax_return = self.client.get_item(endpoints.path(endpoints.TAX_RETURN, tax_return_id=item["id"]))
            if not mapping.tax_return_is_final(tax_return):
                if waiting is not None:
                    waiting.append(mapping.waiting_tax_return(admin, tax_return, period))
                continue
            report = self.tax_return_report(str(item["id"]))
            message = self.client.get_file(endpoints.path(endpoints.TAX_RETURN_MESSAGE, tax_return_id=item["id"]),
                                           endpoints.MEDIA_XML)
            documents += mapping.tax_return_documents(admin, tax_return, period, report, message)
        return documents

    def tax_returns_of_year(self, admin: LoketAdministration, year: int) -> list[dict]:
        """The administration's wage tax returns of `year` (a dozen or two: one page); read once per import
        when the source serves one (see __init__)."""
        key = (admin.id, year)
        remembered = self._tax_return_lists
        if remembered is not None and key in remembered:
            return remembered[key]
        listed = self.client.list_all(endpoints.path(endpoints.TAX_RETURNS, administration_id=admin.id),
                                      filter=f"period.year eq {year}")
        if remembered is not None:
            remembered[key] = listed
        return listed

    def tax_return_report(self, tax_return_id: str) -> LoketFile:
        last: LoketNotFound | None = None
        for template in endpoints.TAX_RETURN_REPORTS:
            try:
                return self.client.get_file(endpoints.path(template, tax_return_id=tax_return_id),
                                            endpoints.MEDIA_PDF)
            except LoketNotFound as exc:
                last = exc
        assert last is not None
        raise last
