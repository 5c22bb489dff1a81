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
