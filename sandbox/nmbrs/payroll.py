"""Deterministic payroll runs, wage tax returns and amounts of the sandbox companies.

Every company has one run per month from January of last year up to the current month (so there
are always current-month documents), plus one correction run for the first company. Past runs are
locked; the current month's run is still open. Each month has a wage tax return whose status
depends on its age, so "locked" and not-locked returns both exist (docs/vendors/nmbrs.md: fetch by status,
default "locked").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sandbox.nmbrs.data import Company, Employee

CENT = Decimal("0.01")
UNSET_DATETIME = datetime(1, 1, 1)  # what .NET sends for a non-nullable DateTime that was never set
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")
WAGE_TAX_RATE = Decimal("0.30")
EMPLOYER_CHARGES_RATE = Decimal("0.21")
HOLIDAY_ALLOWANCE_MONTH = 5  # vakantiegeld is paid in May in most Dutch payrolls
HOLIDAY_ALLOWANCE_RATE = Decimal("0.08") * 12


@dataclass(frozen=True)
class Run:
    id: int
    company_id: int
    number: int
    year: int
    period_start: int
    period_end: int
    description: str
    run_at: datetime
    is_locked: bool
    is_correction: bool = False


@dataclass(frozen=True)
class WageTaxReturn:
    id: int
    company_id: int
    serial_number: int
    payment_reference: str
    total_general: int
    period: int
    year: int
    status: str
    sent_at: datetime
    start: datetime
    end: datetime


@dataclass(frozen=True)
class PayLine:
    """One employee's pay in one run."""

    employee: Employee
    gross: Decimal
    wage_tax: Decimal
    employer_charges: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.wage_tax


def first_year(today: date) -> int:
    return today.year - 1


def _run_id(company_id: int, year: int, month: int, correction: bool = False) -> int:
    return company_id * 10000 + (year - 2000) * 100 + month + (30 if correction else 0)


def wage_tax_id(company_id: int, year: int, month: int) -> int:
    return company_id * 10000 + (year - 2000) * 100 + 50 + month


def runs(company: Company, year: int, today: date, first_company_id: int) -> list[Run]:
    if year < first_year(today) or year > today.year:
        return []
    last_month = today.month if year == today.year else 12
    out: list[Run] = []
    number = 0
    for month in range(1, last_month + 1):
        current = (year, month) == (today.year, today.month)
        # Dated by its period alone (the 1st, 10:00), never by today's day: so a run, and any file stamped
        # with its date, is the same whichever day of the month it is fetched, and never lies in the future.
        run_at = datetime(year, month, 1, 10, 0)
        number += 1
        out.append(Run(_run_id(company.id, year, month), company.id, number, year, month, month,
                       f"{MONTHS_NL[month - 1].capitalize()} {year}", run_at, is_locked=not current))
        # One correction run (first company, March of the first year): two runs in one period.
        if company.id == first_company_id and year == first_year(today) and month == 3:
            number += 1
            out.append(Run(_run_id(company.id, year, month, True), company.id, number, year, month, month,
                           f"Correctie {MONTHS_NL[month - 1]} {year}", run_at.replace(day=27),
                           is_locked=True, is_correction=True))
    return out


def pay_lines(company: Company, run: Run, adjustments: dict[int, Decimal]) -> list[PayLine]:
    """Amounts of a run. A correction run pays a small back payment; `adjustments` (employee
    number -> extra gross) lets tests correct a run so its documents change."""
    lines = []
    for employee in company.employees:
        if run.is_correction:
            gross = Decimal("125.00") if employee.number == 1 else Decimal("0.00")
        else:
            gross = employee.monthly_gross
            if run.period_end == HOLIDAY_ALLOWANCE_MONTH:
                gross += (employee.monthly_gross * HOLIDAY_ALLOWANCE_RATE).quantize(CENT)
        gross += adjustments.get(employee.number, Decimal("0.00"))
        if gross == 0:
            continue
        lines.append(PayLine(employee, gross, (gross * WAGE_TAX_RATE).quantize(CENT),
                             (gross * EMPLOYER_CHARGES_RATE).quantize(CENT)))
    return lines


# Status texts in Dutch, as the one public example is ("Verzonden", the REST API's wage tax return);
# the other two words are our guesses (docs/vendors/nmbrs.md, connectors/nmbrs/wage_tax_statuses.py).
PREPARING, LOCKED, SENT = "Aangemaakt", "Vergrendeld", "Verzonden"


def wage_tax_status(year: int, month: int, today: date) -> str:
    age = (today.year - year) * 12 + today.month - month
    if age <= 0:
        return PREPARING  # the current period: still being prepared
    if age == 1:
        return LOCKED  # last period: locked, ready to send
    return SENT if month % 3 == 0 else LOCKED


def wage_tax_returns(company: Company, year: int, today: date, totals: dict[int, Decimal]) -> list[WageTaxReturn]:
    """`totals`: month -> amount to pay (wage tax + employer charges) of that month's runs."""
    if year < first_year(today) or year > today.year:
        return []
    last_month = today.month if year == today.year else 12
    out = []
    for month in range(1, last_month + 1):
        status = wage_tax_status(year, month, today)
        end_day = calendar.monthrange(year, month)[1]
        sent_at = datetime(year, month, end_day, 9, 30) if status == SENT else UNSET_DATETIME
        reference = f"{int(company.wage_tax_number[:9]) % 10**7:07d}{year % 100:02d}{month:02d}{company.id % 10**5:05d}"
        out.append(WageTaxReturn(
            wage_tax_id(company.id, year, month), company.id, 1, reference[:16],
            int(totals.get(month, Decimal("0")).to_integral_value()), month, year, status, sent_at,
            datetime(year, month, 1), datetime(year, month, end_day),
        ))
    return out
