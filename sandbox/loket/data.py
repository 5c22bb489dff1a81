"""The sandbox's Loket world: a demo user, the portal's OAuth client, three employers and their payroll.

Everything is derived deterministically from the ids and the month asked, so any period up to
"today" has payslips, a journal run that balances and a wage tax return, in tests and in the demo.
Amounts are integer cents until they are put into JSON, so journals balance to the cent.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from connectors.loket import environments

DEMO_USERNAME = "koppeling@demo-accountants.nl"
DEMO_PASSWORD = "Loket-Demo-2026"
CLIENT_ID, CLIENT_SECRET = environments.SANDBOX_CLIENT_ID, environments.SANDBOX_CLIENT_SECRET

# The rights docs/vendors/loket.md requires of the dedicated Loket user.
RIGHT_EMPLOYMENTS = "Raadplegen dienstverbanden"
RIGHT_JOURNALISE = "940 journaliseren"
RIGHT_EXPORT_JOURNAL_RUN = "Exporteren journaalrun"
RIGHT_TAX_RETURNS = "Raadplegen loonaangifte"
RIGHT_PAYROLL_OUTPUT = "Raadplegen loonoutput"
ALL_RIGHTS = frozenset({RIGHT_EMPLOYMENTS, RIGHT_JOURNALISE, RIGHT_EXPORT_JOURNAL_RUN, RIGHT_TAX_RETURNS,
                        RIGHT_PAYROLL_OUTPUT})

_NS = uuid.UUID("6f1c0d52-8a4e-4f3b-9c1e-1f0a4b7d2e90")


def guid(*parts) -> str:
    return str(uuid.uuid5(_NS, ":".join(str(p) for p in parts)))


@dataclass(frozen=True)
class Employee:
    number: int
    first_name: str
    last_name: str
    cost_centre: str
    base_salary_cents: int
    start: date
    left_months_ago: int | None = None  # ended employment, relative to "today"

    def employment_id(self, administration_id: str) -> str:
        return guid("employment", administration_id, self.number)

    def employee_id(self, employer_id: str) -> str:
        return guid("employee", employer_id, self.number)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def end(self, today: date) -> date | None:
        if self.left_months_ago is None:
            return None
        first = _add_months(date(today.year, today.month, 1), -self.left_months_ago + 1)
        return first - timedelta(days=1)

    def employed_in(self, year: int, month: int, today: date) -> bool:
        first = date(year, month, 1)
        end = self.end(today)
        return self.start <= _month_end(year, month) and (end is None or end >= first)


@dataclass(frozen=True)
class Administration:
    key: str
    employer_name: str
    client_number: int
    wage_tax_number: str
    description: str
    employees: tuple[Employee, ...] = ()
    is_payroll: bool = True
    start: date = date(2015, 1, 1)
    end: date | None = None
    cost_centres: tuple[tuple[str, str], ...] = ()

    @property
    def employer_id(self) -> str:
        return guid("employer", self.employer_name)

    @property
    def id(self) -> str:
        return guid("administration", self.key)

    def active_in(self, year: int, month: int) -> bool:
        return self.is_payroll and self.start <= date(year, month, 1) and (
            self.end is None or self.end >= date(year, month, 1))


ADMINISTRATIONS: tuple[Administration, ...] = (
    Administration(
        key="korenschoof", employer_name="Bakkerij De Korenschoof B.V.", client_number=40123,
        wage_tax_number="812345678L01", description="Korenschoof salarisadministratie",
        cost_centres=(("KC10", "Bakkerij"), ("KC20", "Winkel")),
        employees=(
            Employee(1001, "Sanne", "de Vries", "KC10", 345000, date(2016, 4, 1)),
            Employee(1002, "Mohamed", "El Amrani", "KC10", 298000, date(2019, 9, 1)),
            Employee(1003, "Lotte", "Jansen", "KC20", 251000, date(2021, 2, 1)),
            Employee(1004, "Pieter", "Bakker", "KC20", 233000, date(2018, 1, 1), left_months_ago=3),
        )),
    Administration(
        key="vandijk", employer_name="Schildersbedrijf Van Dijk", client_number=40124,
        wage_tax_number="823456705L01", description="Van Dijk personeel",
        cost_centres=(("UITV", "Uitvoering"),),
        employees=(
            Employee(2001, "Kees", "van Dijk", "UITV", 412000, date(2012, 1, 1)),
            Employee(2002, "Ahmet", "Yilmaz", "UITV", 287500, date(2020, 6, 1)),
            Employee(2003, "Femke", "Visser", "UITV", 264000, date(2022, 3, 1)),
        )),
    # The administration Van Dijk used before a reorganisation: same numbers, ended long ago.
    Administration(
        key="vandijk-oud", employer_name="Schildersbedrijf Van Dijk", client_number=40124,
        wage_tax_number="823456705L01", description="Van Dijk personeel (tot 2020)",
        start=date(2012, 1, 1), end=date(2020, 12, 31)),
    Administration(
        key="hetanker", employer_name="Zorggroep Het Anker", client_number=40125,
        wage_tax_number="834567891L02", description="Het Anker zorgpersoneel",
        cost_centres=(("ZORG", "Zorg"), ("STAF", "Staf")),
        employees=(
            Employee(3001, "Annemiek", "Smit", "ZORG", 318000, date(2017, 5, 1)),
            Employee(3002, "Jeroen", "Mulder", "ZORG", 302500, date(2019, 11, 1)),
            Employee(3003, "Fatima", "Bouzid", "ZORG", 279000, date(2023, 1, 1)),
            Employee(3004, "Ruud", "de Graaf", "STAF", 389000, date(2014, 8, 1)),
            Employee(3005, "Ilse", "Hendriks", "STAF", 226000, date(2024, 10, 1)),
        )),
    # Not a payroll administration (isPayrollAdministration false) but with the same numbers.
    Administration(
        key="hetanker-declaraties", employer_name="Zorggroep Het Anker", client_number=40125,
        wage_tax_number="834567891L02", description="Het Anker declaraties", is_payroll=False),
)


# --- periods ---------------------------------------------------------------------------------------

def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(year: int, month: int) -> date:
    return _add_months(date(year, month, 1), 1) - timedelta(days=1)


def period_id(year: int, month: int) -> int:
    """The sandbox's own key for a month (its test switches); never an id Loket shows."""
    return year * 100 + month


def _opaque_number(*parts) -> int:
    """An integer id with no meaning, like Loket's: payroll period ids are integers (NOTES of the
    Kiota client), their values are Loket's business. Different per resource, so that our client
    passing one resource's id where another's is wanted fails in our own tests."""
    return 10_000_000 + uuid.uuid5(_NS, ":".join(str(p) for p in parts)).int % 90_000_000


def payroll_period_id(administration: Administration, year: int, month: int) -> int:
    """The `id` of a period in .../payrollperiods."""
    return _opaque_number("payrollperiod", administration.id, year, month)


def payslip_summary_id(scope_id: str, year: int, month: int) -> int:
    """The `payrollPeriodId` the cumulative payslip download takes: only from .../payslips/summary/metadata
    (the spec's note on GetPayrollPeriodSummaryByEmploymentIdAndPayrollPeriodId). That note says the metadata
    lists the employer's payroll periods, so `scope_id` is the payroll administration's id: every employment
    of it lists the same id for a period (different from the .../payrollperiods id). A test switch
    (`LoketState.summary_ids_per_employment`) scopes them per employment instead."""
    return _opaque_number("payslipsummary", scope_id, year, month)


def period_json(administration: Administration, year: int, month: int, approved: bool, journalised: bool) -> dict:
    return {"id": payroll_period_id(administration, year, month), "year": year, "periodNumber": month,
            "startDate": date(year, month, 1).isoformat(), "endDate": _month_end(year, month).isoformat(),
            "testYear": False, "payrollPeriodType": {"key": 1, "value": "Maand"},
            "hasApprovedPayrollRun": approved, "hasSuccessfulJournalRun": journalised}


def period_ref(year: int, month: int) -> dict:
    """The short period object inside runs, payslips and tax returns."""
    return {"year": year, "periodNumber": month, "periodStartDate": date(year, month, 1).isoformat(),
            "periodEndDate": _month_end(year, month).isoformat()}


def calendar_months(administration: Administration, today: date) -> list[tuple[int, int]]:
    """Every month of the previous and current year the administration has periods for."""
    return [(y, m) for y in (today.year - 1, today.year) for m in range(1, 13)
            if administration.active_in(y, m)]


def is_processed(year: int, month: int, today: date) -> bool:
    """Payroll runs are approved up to and including the current month ("current month" imports, docs/vendors/loket.md)."""
    return (year, month) <= (today.year, today.month)


# --- amounts ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pay:
    gross: int
    wage_tax: int
    pension_employee: int
    pension_employer: int
    social_employer: int

    @property
    def net(self) -> int:
        return self.gross - self.wage_tax - self.pension_employee


def pay(administration: Administration, employee: Employee, year: int, month: int) -> Pay:
    rng = random.Random(f"{administration.key}:{employee.number}:{year}:{month}")
    gross = employee.base_salary_cents + rng.randrange(0, 40) * 500  # overtime, allowances
    if month == 5:
        gross += employee.base_salary_cents * 8 // 100  # vakantiegeld, paid in May
    rate = 0.22 + min(gross, 600000) / 600000 * 0.17
    return Pay(gross=gross, wage_tax=int(gross * rate), pension_employee=gross * 55 // 1000,
               pension_employer=gross * 110 // 1000, social_employer=gross * 187 // 1000)


def payslips_of(administration: Administration, year: int, month: int, today: date) -> list[tuple[Employee, Pay]]:
    if not administration.active_in(year, month) or not is_processed(year, month, today):
        return []
    return [(e, pay(administration, e, year, month)) for e in administration.employees
            if e.employed_in(year, month, today)]


# Ledger accounts of the demo journal profile (Loket: generalLedgerAccount{key, code, description}).
GL_GROSS = ("4000", "Brutolonen")
GL_SOCIAL = ("4100", "Sociale lasten werkgever")
GL_PENSION_COST = ("4110", "Pensioenlasten werkgever")
GL_WAGE_TAX_DUE = ("1600", "Af te dragen loonheffing")
GL_PENSION_DUE = ("1610", "Af te dragen pensioenpremie")
GL_NET_DUE = ("1620", "Te betalen nettolonen")


def journal_results(administration: Administration, year: int, month: int, today: date) -> list[dict]:
    """Consolidated journal run results: costs per cost centre on the debit side, liabilities credited."""
    slips = payslips_of(administration, year, month, today)
    centres = dict(administration.cost_centres)
    lines: list[dict] = []
    for code in sorted({e.cost_centre for e, _ in slips}):
        mine = [p for e, p in slips if e.cost_centre == code]
        centre = {"key": int(code.encode().hex(), 16) % 10000, "code": code, "description": centres.get(code, code)}
        for account, cents in ((GL_GROSS, sum(p.gross for p in mine)),
                               (GL_SOCIAL, sum(p.social_employer for p in mine)),
                               (GL_PENSION_COST, sum(p.pension_employer for p in mine))):
            lines.append(_result_line(account, debit=cents, credit=0, cost_centre=centre))
    for account, cents in ((GL_WAGE_TAX_DUE, sum(p.wage_tax + p.social_employer for _, p in slips)),
                           (GL_PENSION_DUE, sum(p.pension_employer + p.pension_employee for _, p in slips)),
                           (GL_NET_DUE, sum(p.net for _, p in slips))):
        lines.append(_result_line(account, debit=0, credit=cents, cost_centre=None))
    return lines


def _result_line(account: tuple[str, str], *, debit: int, credit: int, cost_centre: dict | None) -> dict:
    code, description = account
    return {"generalLedgerAccount": {"key": int(code), "code": code, "description": description},
            "costCenter": cost_centre, "costUnit": None,
            "payrollComponent": None,
            "debetAmount": debit / 100, "creditAmount": credit / 100}


def tax_return_amounts(administration: Administration, year: int, month: int, today: date) -> int:
    """Loonheffingen due for the period in cents: withheld wage tax plus employer contributions."""
    return sum(p.wage_tax + p.social_employer for _, p in payslips_of(administration, year, month, today))
