"""The fetcher the import engine calls: a company's Nmbrs documents through the REST API.

The same documents as the SOAP source (connectors/nmbrs/source.py) where REST has them: per run its
journal and SEPA file, payslips per employee and period (REST has no per-run payslip file), wage tax
returns by status (default "locked", the same status table), and annual statements per employee on
request. Every document is a task (tasks.py): all of a period are started and polled together; one
that is not ready in time is a waiting document (WaitReason.NOT_READY), asked for again next import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from connectors.documents import DocumentKind, Period, SourceDocument, WaitingDocument, WaitReason
from connectors.nmbrs import wage_tax_statuses
from connectors.nmbrs.source import DEFAULT_WAGE_TAX_STATUS, last_period_of_year
from connectors.nmbrs_rest import mapping
from connectors.nmbrs_rest.client import NmbrsRestClient
from connectors.nmbrs_rest.records import Company, EmployeeInRun, Run
from connectors.nmbrs_rest.tasks import (
    BEING_PROCESSED,
    DEFAULT_POLLING,
    Polling,
    TaskOutcome,
    TaskRequest,
    run_tasks,
)

log = logging.getLogger(__name__)
RUN_KINDS = (DocumentKind.JOURNAL, DocumentKind.SEPA)


def default_payment_date(period: Period) -> date:
    """The execution date asked for a run's SEPA file: the period's last day (as the SOAP source)."""
    return period.end


@dataclass
class _Planned:
    """One document to ask for: its task, how to make the document, and what it is while it waits."""

    request: TaskRequest
    make: Callable[[bytes], SourceDocument]
    kind: DocumentKind
    source_id: str
    period: Period
    title: str


@dataclass
class AnnualStatementsResult:
    year: int
    documents: list[SourceDocument] = field(default_factory=list)
    waiting: list[WaitingDocument] = field(default_factory=list)
    skipped: str = ""  # why nothing was asked for ('' when the year is finished)


class NmbrsRestSource:
    def __init__(self, client: NmbrsRestClient, *, polling: Polling = DEFAULT_POLLING,
                 payment_date: Callable[[Period], date] = default_payment_date, sleep=None):
        self.client = client
        self.polling = polling
        self.payment_date = payment_date
        self._sleep = sleep  # tests: a sleep that does not sleep

    # --- companies ---------------------------------------------------------------------------------

    def companies(self) -> list[Company]:
        """Every company the authorising user reaches: those of each debtor `/api/debtors` lists
        (docs/vendors/nmbrs-rest.md, "Companies through the debtor")."""
        return [company for debtor in self.client.debtors() for company in self.client.companies(debtor.id)]

    # --- a period's documents ----------------------------------------------------------------------

    def documents(self, company: Company, period: Period, kinds: Iterable[DocumentKind],
                  wage_tax_status: str | Iterable[str] | None = DEFAULT_WAGE_TAX_STATUS,
                  waiting: list[WaitingDocument] | None = None) -> list[SourceDocument]:
        """Documents of one company for one period; what is not taken or not ready goes to `waiting`."""
        kinds = list(dict.fromkeys(kinds))
        if DocumentKind.ANNUAL_DOCUMENT in kinds:
            raise ValueError("annual statements are fetched per year: use NmbrsRestSource.annual_statements")
        waiting = waiting if waiting is not None else []
        planned: list[_Planned] = []
        runs = self.runs_in(company, period) if any(k in kinds for k in (*RUN_KINDS, DocumentKind.PAYSLIP)) else []
        for run in runs:
            planned.extend(self._run_plans(company, period, run, kinds))
        if DocumentKind.PAYSLIP in kinds:
            planned.extend(self._payslip_plan(company, period, e) for e in self.employees_in(company, runs))
        if DocumentKind.WAGE_TAX_RETURN in kinds:
            planned.extend(self._wage_tax_plans(company, period, wage_tax_status, waiting))
        return self._fetch(planned, waiting)

    def runs_in(self, company: Company, period: Period) -> list[Run]:
        runs = [r for r in self.client.runs(company.id, period.year) if r.covers(period.number)]
        return sorted(runs, key=lambda r: (r.number, r.id))

    def employees_in(self, company: Company, runs: Iterable[Run]) -> list[EmployeeInRun]:
        """The employees paid in these runs, each once, by employee number."""
        seen: dict[str, EmployeeInRun] = {}
        for run in runs:
            for employee in self.client.run_employees(company.id, run.id, run.year):
                seen.setdefault(employee.id, employee)
        return sorted(seen.values(), key=lambda e: (e.number, e.id))

    def _run_plans(self, company: Company, period: Period, run: Run, kinds: list[DocumentKind]):
        base = f"/api/companies/{company.id}/runs/{run.id}"
        if DocumentKind.JOURNAL in kinds:
            yield _Planned(TaskRequest(("journal", run.id), f"{base}/journals", {"year": run.year}),
                           lambda xml, run=run: mapping.journal_document(company, period, run, xml),
                           DocumentKind.JOURNAL, mapping.run_source_id(company, run, DocumentKind.JOURNAL), period,
                           f"{mapping.RUN_KIND_TITLES[DocumentKind.JOURNAL]} {period.key}")
        if DocumentKind.SEPA in kinds:
            paid = self.payment_date(period).isoformat() + "T00:00:00Z"  # RFC 3339 date-time, as the spec asks
            yield _Planned(TaskRequest(("sepa", run.id), f"{base}/sepa", {"year": run.year, "paymentDate": paid}),
                           lambda xml, run=run: mapping.sepa_document(company, period, run, xml),
                           DocumentKind.SEPA, mapping.run_source_id(company, run, DocumentKind.SEPA), period,
                           f"{mapping.RUN_KIND_TITLES[DocumentKind.SEPA]} {period.key}")

    def _payslip_plan(self, company: Company, period: Period, employee: EmployeeInRun) -> _Planned:
        return _Planned(
            TaskRequest(("payslip", employee.id), f"/api/employees/{employee.id}/payslipperperiod",
                        {"period": period.number, "year": period.year}),
            lambda pdf: mapping.payslip_document(company, period, employee, pdf), DocumentKind.PAYSLIP,
            mapping.payslip_source_id(company, period, employee), period,
            f"{mapping.PAYSLIP_TITLE} {period.key} werknemer {employee.number}")

    def _wage_tax_plans(self, company: Company, period: Period, status, waiting: list[WaitingDocument]):
        wanted = None if status is None else ({status} if isinstance(status, str) else set(status))
        for wage_tax in self.client.wage_taxes(company.id, period.year):
            if wage_tax.period != period.number:
                continue
            if wanted is not None and not any(wage_tax_statuses.taken(wage_tax.status, s) for s in wanted):
                reason = wage_tax_statuses.why_not_taken(wage_tax.status, wanted)
                if reason is WaitReason.UNKNOWN_STATUS:
                    log.warning("Nmbrs REST wage tax return %s of company %s (%s) has status %r, which the portal "
                                "does not know; it waits.", wage_tax.id, company.id, period.key, wage_tax.status)
                waiting.append(mapping.waiting_wage_tax(company, period, wage_tax, reason))
                continue
            yield _Planned(
                TaskRequest(("wagetax", wage_tax.id), f"/api/companies/{company.id}/wagetaxes/{wage_tax.id}/xml", {}),
                lambda xml, wage_tax=wage_tax: mapping.wage_tax_document(company, period, wage_tax, xml),
                DocumentKind.WAGE_TAX_RETURN, mapping.wage_tax_source_id(company, wage_tax), period,
                f"{mapping.WAGE_TAX_TITLE} {period.key}")

    # --- annual statements -------------------------------------------------------------------------

    def annual_statements(self, company: Company, year: int) -> AnnualStatementsResult:
        """Each employee's annual statement of `year`, once its final run (the year's last period) exists
        and is locked: the spec says the statement is only there after the year's last run."""
        result = AnnualStatementsResult(year)
        runs = self.client.runs(company.id, year)
        last = last_period_of_year(year, runs)  # reads period_end, as REST runs have it
        final = [r for r in runs if r.period_end >= last]
        if not final or not all(r.is_locked for r in final):
            result.skipped = f"the final run of {year} (period {last}) is not there or not locked yet"
            return result
        planned = [_Planned(
            TaskRequest(("annual", e.id), f"/api/employees/{e.id}/annualstatement", {"year": year}),
            lambda pdf, e=e: mapping.annual_statement_document(company, year, e, pdf), DocumentKind.ANNUAL_DOCUMENT,
            mapping.annual_source_id(company, year, e), Period.whole_year(year),
            f"{mapping.ANNUAL_STATEMENT_TITLE} {year} werknemer {e.number}") for e in self.employees_in(company, runs)]
        result.documents = self._fetch(planned, result.waiting)
        return result

    # --- the tasks ---------------------------------------------------------------------------------

    def _fetch(self, planned: list[_Planned], waiting: list[WaitingDocument]) -> list[SourceDocument]:
        kwargs = {"sleep": self._sleep} if self._sleep is not None else {}
        outcomes = run_tasks(self.client, [p.request for p in planned], self.polling, **kwargs)
        documents = []
        for plan in planned:
            outcome: TaskOutcome = outcomes[plan.request.key]
            if outcome.ready:
                documents.append(plan.make(outcome.content))
                continue
            log.warning("Nmbrs did not finish %s (task %s) after %s polls in %.0f s; it waits for the next import.",
                        plan.source_id, outcome.task_id, outcome.polls, outcome.waited)
            waiting.append(mapping.waiting(plan.kind, plan.source_id, plan.period, plan.title, WaitReason.NOT_READY,
                                           BEING_PROCESSED, f"task {outcome.task_id}: not ready after "
                                           f"{outcome.polls} polls in {outcome.waited:.0f} s"))
        return documents
