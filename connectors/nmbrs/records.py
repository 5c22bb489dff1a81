"""Typed Nmbrs records (what the list operations return), built from zeep objects in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


def _get(obj, name, default=None):
    value = obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)
    return default if value is None else value


def _when(value) -> datetime | None:
    # .NET sends 0001-01-01T00:00:00 for a DateTime that was never set (e.g. SentAt of an unsent return).
    if value is None or (isinstance(value, datetime) and value.year <= 1):
        return None
    return value


@dataclass(frozen=True)
class Debtor:
    id: int
    number: str
    name: str

    @classmethod
    def from_soap(cls, obj) -> Debtor:
        return cls(int(_get(obj, "Id")), str(_get(obj, "Number", "")), str(_get(obj, "Name", "")))


@dataclass(frozen=True)
class Company:
    id: int
    number: int
    name: str
    wage_tax_period: str = "Month"  # LoonaangifteTijdvak: None, Month, Week4, Month6, Year
    kvk_number: str = ""

    @classmethod
    def from_soap(cls, obj) -> Company:
        return cls(int(_get(obj, "ID")), int(_get(obj, "Number", 0)), str(_get(obj, "Name", "")),
                   str(_get(obj, "LoonaangifteTijdvak", "Month")), str(_get(obj, "KvkNr", "")))


@dataclass(frozen=True)
class Run:
    id: int
    number: int
    year: int
    period_start: int
    period_end: int
    description: str
    run_at: datetime | None
    is_locked: bool

    @classmethod
    def from_soap(cls, obj) -> Run:
        return cls(int(_get(obj, "ID")), int(_get(obj, "Number", 0)), int(_get(obj, "Year")),
                   int(_get(obj, "PeriodStart")), int(_get(obj, "PeriodEnd")), str(_get(obj, "Description", "")),
                   _when(_get(obj, "RunAt")), bool(_get(obj, "IsLocked", False)))

    def covers(self, period_number: int) -> bool:
        return self.period_start <= period_number <= self.period_end


@dataclass(frozen=True)
class WageTaxReturn:
    id: int
    year: int
    period: int
    status: str
    total_general: int
    payment_reference: str
    sent_at: datetime | None
    period_start: datetime | None
    period_end: datetime | None
    # A correction is a new return with the next serial number; REST gives it too (`serialNumber`), so it is
    # part of what identifies a return across both APIs (docs/vendors/nmbrs-rest.md). 0: not given.
    serial_number: int = 0

    @classmethod
    def from_soap(cls, obj) -> WageTaxReturn:
        return cls(int(_get(obj, "LoonaangifteID")), int(_get(obj, "Year")), int(_get(obj, "Period")),
                   str(_get(obj, "Status", "")), int(_get(obj, "TotalGeneral", 0)),
                   str(_get(obj, "PaymentReference", "")), _when(_get(obj, "SentAt")),
                   _when(_get(obj, "TijdvakStart")), _when(_get(obj, "TijdvakEnd")),
                   int(_get(obj, "SerialNumber", 0) or 0))
