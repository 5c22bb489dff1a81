"""What identifies an Nmbrs document whichever of Nmbrs' APIs delivered it.

SOAP ids are integers and REST ids are UUIDs, so neither can recognise the other's documents. What
both APIs give (docs/vendors/nmbrs-rest.md, "Identity across SOAP and REST") is the company number,
the year and period, the run number, the employee number and the wage tax return's serial number;
SOAP: `Company.Number` (an int), `RunInfo.Number`/`Year`/`PeriodEnd`, `WageTax.SerialNumber`/`Year`/
`Period`; REST: `number` (a string), the run's `number`/`year`/`periodEnd`, `serialNumber`.
A field an API does not give for a kind stays None: SOAP delivers one payslip PDF per run (no
employee), REST one per employee and period (no run).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


def company_number(value: int | str) -> str:
    """'0101', '101' and 101 are one company number; a number with letters is kept as written."""
    text = str(value).strip()
    return str(int(text)) if text.isdigit() else text


@dataclass(frozen=True)
class DocumentIdentity:
    kind: str  # connectors.documents.DocumentKind value
    company_number: str
    year: int
    period: int  # the period number (0 for a whole year)
    run_number: int | None = None
    employee_number: int | None = None
    serial_number: int | None = None  # wage tax returns: a correction is a new serial number

    def __post_init__(self):
        object.__setattr__(self, "company_number", company_number(self.company_number))

    @property
    def key(self) -> str:
        """A stable text form, e.g. 'nmbrs:101:2026-03:run2:payslip:employee1' (fields that are None left out)."""
        parts = [f"nmbrs:{self.company_number}:{self.year}-{self.period:02d}"]
        if self.run_number is not None:
            parts.append(f"run{self.run_number}")
        parts.append(self.kind)
        if self.employee_number is not None:
            parts.append(f"employee{self.employee_number}")
        if self.serial_number is not None:
            parts.append(f"serial{self.serial_number}")
        return ":".join(parts)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, stored: dict) -> DocumentIdentity:
        return cls(**{f.name: stored.get(f.name) for f in fields(cls)})

    def covers(self, other: DocumentIdentity) -> bool:
        """Whether this document (e.g. booked through SOAP) holds `other` (e.g. fetched through REST): same
        kind, company, year and period, and every field both give equal. A SOAP run's payslip PDF (no
        employee) covers each REST payslip of that company and period."""
        if (self.kind, self.company_number, self.year, self.period) != (
                other.kind, other.company_number, other.year, other.period):
            return False
        return all(mine is None or theirs is None or mine == theirs for mine, theirs in (
            (self.run_number, other.run_number), (self.employee_number, other.employee_number),
            (self.serial_number, other.serial_number)))


def period_of_key(key: str) -> tuple[int, int]:
    """(year, period number) of a ledger period key: '2026-11', '2026-P13', '2026-P00' (a whole year)."""
    year, _, rest = key.partition("-")
    return int(year), int(rest.lstrip("P"))


# SOAP's annual document that REST gives per employee (connectors/nmbrs/operations.py ANNUAL_DOCUMENTS);
# SOAP's other annual documents (cumulative journals, wage components) have no REST counterpart.
SOAP_ANNUAL_STATEMENTS = "annual-statements"


def from_soap(kind: str, period_key: str, metadata: dict, company_number: str) -> DocumentIdentity | None:
    """The identity of a document the SOAP source delivered (its ledger row's kind, period key and
    metadata; the company number from the administration's link, which SOAP's documents do not carry).
    Rows recorded before identities were stored are derived from what they hold: the run number of run
    documents, the serial number of wage tax returns (None when not stored: then any return of that
    period is taken as that one). None when REST has no such document or the row says too little."""
    stored = metadata.get("identity")
    if isinstance(stored, dict) and stored.get("kind"):
        return DocumentIdentity.from_dict(stored)
    if not str(company_number or "").strip():
        return None
    year, period = period_of_key(period_key)
    if kind in ("payslip", "journal", "sepa"):
        run_number = metadata.get("run_number")
        return DocumentIdentity(kind, company_number, year, period, run_number=int(run_number)) \
            if isinstance(run_number, int) else None
    if kind == "wage_tax_return":
        serial = metadata.get("serial_number")
        return DocumentIdentity(kind, company_number, year, period,
                                serial_number=serial if isinstance(serial, int) and serial > 0 else None)
    if kind == "annual_document" and metadata.get("annual_document") == SOAP_ANNUAL_STATEMENTS:
        return DocumentIdentity(kind, company_number, year, 0)
    return None
