"""Seed data of the Nmbrs sandbox: API users, debtors, companies and their employees.

Fictional but shaped like a real accountancy's Nmbrs tenant: one tenant (the "domain", docs/vendors/nmbrs.md),
a few debtors (the accountancy's clients), companies under them with a company number, employees
with salaries, IBANs and cost centres. Runs and wage tax returns are derived from this per month
in `payroll.py`, so the data always reaches the current month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

DEMO_USERNAME = "api@demokantoor.nl"
DEMO_TOKEN = "7b1f0c2e9d8a4f6b8e3c5a1d2f4e6a8b"
DEMO_DOMAIN = "demokantoor"
DEMO_TENANT_NAME = "Demo Administratiekantoor"

# An API user whose user template lacks the "SalaryDocuments_AnnualDocument" rights (docs/vendors/nmbrs.md, "Rights for annual documents").
NO_ANNUAL_RIGHTS_USERNAME = "salaris@demokantoor.nl"
NO_ANNUAL_RIGHTS_TOKEN = "c0ffee00c0ffee00c0ffee00c0ffee00"
# An API user whose template grants no webservice rights at all.
NO_API_RIGHTS_USERNAME = "receptie@demokantoor.nl"
NO_API_RIGHTS_TOKEN = "0123456789abcdef0123456789abcdef"
# An API user who only sees the companies of one debtor (1003 on the others).
ONE_DEBTOR_USERNAME = "jansen@demokantoor.nl"
ONE_DEBTOR_TOKEN = "feedface00feedface00feedface00aa"

ANNUAL_DOCUMENT_RIGHT = "SalaryDocuments_AnnualDocument"


@dataclass(frozen=True)
class ApiUser:
    username: str
    token: str
    domain: str
    # Operation names (or prefixes ending in "_") this user's template switches OFF.
    denied: tuple[str, ...] = ()
    # Debtor ids whose companies the user may see; None = all.
    debtor_ids: frozenset[int] | None = None

    def may_call(self, operation: str) -> bool:
        return not any(operation == d or operation.startswith(d + "_") for d in self.denied)


@dataclass(frozen=True)
class Debtor:
    id: int
    number: str
    name: str


@dataclass(frozen=True)
class Employee:
    number: int
    name: str
    iban: str
    monthly_gross: Decimal
    cost_centre: str


@dataclass(frozen=True)
class Company:
    id: int
    number: int
    name: str
    debtor_id: int
    kvk: str
    email: str
    iban: str
    bic: str
    wage_tax_number: str
    employees: tuple[Employee, ...] = field(default=())


def _nl_iban(bank: str, account: str) -> str:
    """A Dutch IBAN with correct check digits (ISO 13616 mod 97), so SEPA validators accept it."""
    bban = bank + account.zfill(10)
    digits = "".join(str(int(ch, 36)) for ch in bban + "NL00")
    check = 98 - int(digits) % 97
    return f"NL{check:02d}{bban}"


USERS = (
    ApiUser(DEMO_USERNAME, DEMO_TOKEN, DEMO_DOMAIN),
    ApiUser(NO_ANNUAL_RIGHTS_USERNAME, NO_ANNUAL_RIGHTS_TOKEN, DEMO_DOMAIN, denied=(ANNUAL_DOCUMENT_RIGHT,)),
    ApiUser(NO_API_RIGHTS_USERNAME, NO_API_RIGHTS_TOKEN, DEMO_DOMAIN, denied=("List", "Run", "WageTax",
                                                                           "SalaryDocuments", "Journals")),
    ApiUser(ONE_DEBTOR_USERNAME, ONE_DEBTOR_TOKEN, DEMO_DOMAIN, debtor_ids=frozenset({7001})),
)

DEBTORS = (
    Debtor(7001, "D1001", "Jansen Holding"),
    Debtor(7002, "D1002", "De Vries Tweewielers"),
    Debtor(7003, "D1003", "Groen Hoveniers"),
)

COMPANIES = (
    Company(
        50001, 101, "Bakkerij Jansen B.V.", 7001, "34123456", "salaris@bakkerijjansen.nl",
        _nl_iban("RABO", "0312345678"), "RABONL2U", "812345678L01",
        employees=(
            Employee(1, "A. de Boer", _nl_iban("INGB", "0001234567"), Decimal("3125.00"), "PROD"),
            Employee(2, "M. Yilmaz", _nl_iban("ABNA", "0412345678"), Decimal("2890.50"), "PROD"),
            Employee(3, "S. Jansen", _nl_iban("RABO", "0398765432"), Decimal("4210.00"), "VERK"),
        ),
    ),
    Company(
        50002, 102, "Jansen Vastgoed B.V.", 7001, "34123457", "info@jansenvastgoed.nl",
        _nl_iban("ABNA", "0523456789"), "ABNANL2A", "812345679L01",
        employees=(Employee(1, "P. Jansen", _nl_iban("ABNA", "0523400001"), Decimal("5400.00"), "ALG"),),
    ),
    Company(
        50003, 201, "De Vries Fietsen V.O.F.", 7002, "56781234", "loon@devriesfietsen.nl",
        _nl_iban("INGB", "0006543210"), "INGBNL2A", "823456789L01",
        employees=(
            Employee(1, "K. de Vries", _nl_iban("INGB", "0006500001"), Decimal("2650.00"), "WERK"),
            Employee(2, "L. Bakker", _nl_iban("SNSB", "0912345678"), Decimal("2475.25"), "WERK"),
        ),
    ),
    Company(
        50004, 301, "Groen Hoveniers B.V.", 7003, "67812345", "admin@groenhoveniers.nl",
        _nl_iban("RABO", "0155555555"), "RABONL2U", "834567890L01",
        employees=(Employee(1, "T. Groen", _nl_iban("RABO", "0155500001"), Decimal("3300.00"), "BUIT"),),
    ),
)
