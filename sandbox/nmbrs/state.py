"""Everything the Nmbrs sandbox holds and received: `app.state` (sandbox/README.md).

Tests change data through it (correct a run so its documents' hashes change, add a user, move
"today") and inspect the calls it received, including the auth header each call carried.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sandbox.nmbrs import data, payroll


@dataclass(frozen=True)
class ReceivedCall:
    service: str
    operation: str
    username: str
    domain: str
    params: dict
    token_given: bool


@dataclass
class NmbrsState:
    users: list[data.ApiUser] = field(default_factory=lambda: list(data.USERS))
    debtors: list[data.Debtor] = field(default_factory=lambda: list(data.DEBTORS))
    companies: list[data.Company] = field(default_factory=lambda: list(data.COMPANIES))
    clock: Callable[[], date] = date.today
    # How an unknown domain is refused: Nmbrs answers 2043, some accounts report a 1001 naming the domain.
    unknown_domain_fault: str = "2043"
    # The last calls received, newest last (bounded: the portal's demo sandbox runs for days).
    calls: deque[ReceivedCall] = field(default_factory=lambda: deque(maxlen=10_000))
    # (company id, run id) -> {employee number: extra gross}: a corrected run.
    adjustments: dict[tuple[int, int], dict[int, Decimal]] = field(default_factory=dict)
    # (company id, year, month) -> a wage tax return's status text, instead of the one by its age.
    wage_tax_statuses: dict[tuple[int, int, int], str] = field(default_factory=dict)
    # (company id, run id) -> the journal XML text to answer instead of the generated one.
    journal_texts: dict[tuple[int, int], str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # --- what the tests change -------------------------------------------------------------
    def today(self) -> date:
        return self.clock()

    def correct_run(self, company_id: int, run_id: int, employee_number: int = 1,
                    extra_gross: Decimal = Decimal("10.00")) -> None:
        """Nmbrs corrected a run: its payslips, journal, SEPA and wage tax return change."""
        with self.lock:
            per_employee = self.adjustments.setdefault((company_id, run_id), {})
            per_employee[employee_number] = per_employee.get(employee_number, Decimal("0")) + extra_gross

    def set_wage_tax_status(self, company_id: int, year: int, month: int, status: str) -> None:
        """E.g. 'Vergrendeld' once the period's return is locked, or a text the portal does not know."""
        with self.lock:
            self.wage_tax_statuses[(company_id, year, month)] = status

    def set_journal(self, company_id: int, run_id: int, xml: str) -> None:
        """The journal Journals_GetByRunCompany_v2 answers for that run, e.g. one a test wrote itself."""
        with self.lock:
            self.journal_texts[(company_id, run_id)] = xml

    def record(self, call: ReceivedCall) -> None:
        with self.lock:
            self.calls.append(call)

    def calls_to(self, operation: str) -> list[ReceivedCall]:
        return [c for c in self.calls if c.operation == operation]

    # --- lookups ------------------------------------------------------------------------------
    def user(self, username: str, token: str, domain: str) -> data.ApiUser | None:
        return next((u for u in self.users if (u.username.lower(), u.token, u.domain.lower())
                     == (username.lower(), token, domain.lower())), None)

    def domain_exists(self, domain: str) -> bool:
        return any(u.domain.lower() == domain.lower() for u in self.users)

    def company(self, company_id: int) -> data.Company | None:
        return next((c for c in self.companies if c.id == company_id), None)

    def visible_companies(self, user: data.ApiUser) -> list[data.Company]:
        return [c for c in self.companies if user.debtor_ids is None or c.debtor_id in user.debtor_ids]

    def visible_debtors(self, user: data.ApiUser) -> list[data.Debtor]:
        return [d for d in self.debtors if user.debtor_ids is None or d.id in user.debtor_ids]

    def runs(self, company: data.Company, year: int) -> list[payroll.Run]:
        first_company_id = self.companies[0].id if self.companies else 0
        return payroll.runs(company, year, self.today(), first_company_id)

    def run(self, company: data.Company, run_id: int, year: int | None = None) -> payroll.Run | None:
        today = self.today()
        years = [year] if year else range(payroll.first_year(today), today.year + 1)
        for y in years:
            for run in self.runs(company, y):
                if run.id == run_id:
                    return run
        return None

    def pay_lines(self, company: data.Company, run: payroll.Run) -> list[payroll.PayLine]:
        return payroll.pay_lines(company, run, self.adjustments.get((company.id, run.id), {}))

    def month_pay_lines(self, company: data.Company, year: int, month: int) -> list[payroll.PayLine]:
        return [line for run in self.runs(company, year) if run.period_end == month
                for line in self.pay_lines(company, run)]

    def wage_tax_returns(self, company: data.Company, year: int) -> list[payroll.WageTaxReturn]:
        totals: dict[int, Decimal] = {}
        for month in range(1, 13):
            lines = self.month_pay_lines(company, year, month)
            totals[month] = sum((line.wage_tax + line.employer_charges for line in lines), Decimal("0"))
        returns = payroll.wage_tax_returns(company, year, self.today(), totals)
        return [replace(r, status=self.wage_tax_statuses.get((company.id, r.year, r.period), r.status))
                for r in returns]

    def wage_tax_return(self, company: data.Company, wage_tax_id: int) -> payroll.WageTaxReturn | None:
        today = self.today()
        for year in range(payroll.first_year(today), today.year + 1):
            for wage_tax in self.wage_tax_returns(company, year):
                if wage_tax.id == wage_tax_id:
                    return wage_tax
        return None
