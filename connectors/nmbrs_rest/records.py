"""Typed Nmbrs REST records, read from the JSON of the list calls in one place.

Field names are those of the spec's schemas (docs/vendors/nmbrs-rest.md, "Records"). Ids are UUID
strings. A field the portal needs that is missing makes the answer unreadable (BadResponse), never a
silently empty value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from connectors.nmbrs_rest.errors import BadResponse


def _need(item: dict, name: str, kind: type):
    value = item.get(name) if isinstance(item, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise BadResponse(f"An Nmbrs record lacks a readable {name!r}: {item!r:.200}")
    return value


def _when(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class UserInfo:
    user_id: str
    debtor_id: str
    name: str
    email: str

    @classmethod
    def from_json(cls, item: dict) -> UserInfo:
        return cls(str(item.get("userId") or ""), _need(item, "debtorId", str), str(item.get("name") or ""),
                   str(item.get("email") or ""))


@dataclass(frozen=True)
class Debtor:
    id: str
    number: str
    name: str

    @classmethod
    def from_json(cls, item: dict) -> Debtor:
        return cls(_need(item, "debtorId", str), str(item.get("number") or ""), str(item.get("name") or ""))


@dataclass(frozen=True)
class Company:
    id: str
    number: str  # a string in REST ("101"); an integer in SOAP: compare through identity.company_number
    name: str
    debtor_id: str

    @classmethod
    def from_json(cls, item: dict) -> Company:
        return cls(_need(item, "companyId", str), str(item.get("number") or ""), str(item.get("name") or ""),
                   str(item.get("debtorId") or ""))


@dataclass(frozen=True)
class Run:
    id: str
    number: int
    year: int
    period_start: int
    period_end: int
    description: str
    created_at: datetime | None
    run_type: str
    is_locked: bool

    @classmethod
    def from_json(cls, item: dict) -> Run:
        return cls(_need(item, "payrollRunId", str), _need(item, "number", int), _need(item, "year", int),
                   _need(item, "periodStart", int), _need(item, "periodEnd", int), str(item.get("description") or ""),
                   _when(item.get("createdAt")), str(item.get("type") or ""), bool(item.get("locked", False)))

    def covers(self, period_number: int) -> bool:
        return self.period_start <= period_number <= self.period_end


@dataclass(frozen=True)
class WageTax:
    id: str
    serial_number: int
    year: int
    period: int
    status: str
    total_general: int
    payment_reference: str
    sent_at: datetime | None
    period_start: date | None
    period_end: date | None

    @classmethod
    def from_json(cls, item: dict) -> WageTax:
        return cls(_need(item, "wageTaxId", str), int(item.get("serialNumber") or 0), _need(item, "year", int),
                   _need(item, "period", int), str(item.get("status") or ""), int(item.get("totalGeneral") or 0),
                   str(item.get("paymentReference") or ""), _when(item.get("sentAt")), _day(item.get("periodStart")),
                   _day(item.get("periodEnd")))


@dataclass(frozen=True)
class EmployeeInRun:
    id: str
    number: int

    @classmethod
    def from_json(cls, item: dict) -> EmployeeInRun:
        return cls(_need(item, "employeeId", str), _need(item, "employeeNumber", int))
