"""The sandbox's Loket resources as Loket's JSON shapes them, and who may see them (sandbox/loket/api.py
routes the requests to them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sandbox.loket import data
from sandbox.loket.state import LoketState


@dataclass(frozen=True)
class Call:
    state: LoketState
    username: str
    params: dict
    today: date

    def may_see(self, a: data.Administration) -> bool:
        allowed = self.state.users[self.username].employer_ids
        return allowed is None or index().employer_ids[id(a)] in allowed

    def administrations(self) -> list[data.Administration]:
        return [a for a in data.ADMINISTRATIONS if self.may_see(a)]

    def administration(self, administration_id: str) -> data.Administration | None:
        a = index().by_id.get(administration_id)
        return a if a is not None and self.may_see(a) else None


class Index:
    """The sandbox's identifiers (uuid5s) computed once per set of administrations, not on every request:
    a request looks its employment or tax return up in a dict instead of hashing every employee of every
    administration (which made the simulator, not the portal, the cost in bench/bench_import.py)."""

    def __init__(self, administrations: tuple[data.Administration, ...]):
        self.administrations = administrations
        self.by_id = {a.id: a for a in administrations}
        self.employer_ids = {id(a): a.employer_id for a in administrations}  # by identity: hashing hashes every employee
        self.employments = {e.employment_id(a.id): (a, e) for a in administrations for e in a.employees}
        self._tax_returns: dict[date, dict[str, tuple[data.Administration, int, int]]] = {}

    def tax_returns(self, today: date) -> dict[str, tuple[data.Administration, int, int]]:
        if today not in self._tax_returns:
            self._tax_returns = {today: {
                data.guid("payrolltaxreturn", a.id, year, month): (a, year, month)
                for a in self.administrations for year, month in data.calendar_months(a, today)
                if data.is_processed(year, month, today)}}
        return self._tax_returns[today]


_index_cache: Index | None = None


def index() -> Index:
    """The index of data.ADMINISTRATIONS as it is now (tests and the bench replace the tuple)."""
    global _index_cache
    if _index_cache is None or _index_cache.administrations is not data.ADMINISTRATIONS:
        _index_cache = Index(data.ADMINISTRATIONS)
    return _index_cache


def administration_json(a: data.Administration) -> dict:
    return {"id": a.id, "employerId": a.employer_id, "clientNumber": a.client_number,
            "wageTaxNumber": a.wage_tax_number, "description": a.description,
            "isPayrollAdministration": a.is_payroll, "startDate": a.start.isoformat(),
            "endDate": a.end.isoformat() if a.end else None}


def employment_json(a: data.Administration, e: data.Employee, today: date) -> dict:
    end = e.end(today)
    return {"id": e.employment_id(a.id), "startDate": e.start.isoformat(),
            "endDate": end.isoformat() if end else None,
            "employee": {"id": e.employee_id(a.employer_id), "employeeNumber": e.number,
                         "firstName": e.first_name, "lastName": e.last_name, "formattedName": e.name},
            "payrollAdministration": {"id": a.id, "description": a.description}}


def find_employment(call: Call, employment_id: str):
    a, e = index().employments.get(employment_id, (None, None))
    return (a, e) if a is not None and call.may_see(a) else (None, None)


def journal_run(a: data.Administration, year: int, month: int, state: LoketState) -> dict:
    key = state.journal_run_status.get((a.id, data.period_id(year, month)), 4)
    value = {0: "Aangevraagd", 1: "In behandeling", 2: "In behandeling", 3: "Mislukt"}.get(key, "Verwerkt")
    return {"id": data.guid("journalrun", a.id, year, month), "sequenceNumber": 1,
            "journalRunStatus": {"key": key, "value": value},
            "methodOfCreation": {"key": 1, "value": "Handmatig"},
            "payrollRun": {"payrollRunId": data.guid("payrollrun", a.id, year, month),
                           "sequenceNumberApproved": 1, "payrollPeriod": data.period_ref(year, month)},
            "requestTime": f"{date(year, month, 1).isoformat()}T09:00:00",
            "processingFinishedTime": f"{date(year, month, 1).isoformat()}T09:02:13" if key > 3 else None,
            "removeTime": None, "removedBy": None}


def tax_return(a: data.Administration, year: int, month: int, today: date, state: LoketState) -> dict:
    tax_return_id = data.guid("payrolltaxreturn", a.id, year, month)
    current = (year, month) == (today.year, today.month)
    status = {"key": 2, "value": "Goedgekeurd"} if current else {"key": 4, "value": "Geaccepteerd"}
    status = state.tax_return_status.get((a.id, data.period_id(year, month)), status)
    total = data.tax_return_amounts(a, year, month, today) / 100
    revision = state.tax_return_revisions.get(tax_return_id, 0)
    return {"id": tax_return_id, "wageTaxNumber": a.wage_tax_number, "period": data.period_ref(year, month),
            "payrollTaxReturnStatus": status, "payrollTaxReturnType": {"key": 1, "value": "Normaal"},
            "totalAmount": total, "periodAmount": total, "correctionAmount": 0.0,
            "paymentReference": f"{a.wage_tax_number[:9]}{year % 100:02d}{month:02d}{revision:04d}",
            "messageReference": f"LA{year}{month:02d}{a.client_number}-{revision}",
            "sendTime": None if current else f"{data._add_months(date(year, month, 1), 1).isoformat()}T08:15:00",
            "removalTime": None, "sequenceNumber": 1 + revision}


def find_tax_return(call: Call, tax_return_id: str):
    a, year, month = index().tax_returns(call.today).get(tax_return_id, (None, 0, 0))
    return (a, year, month) if a is not None and call.may_see(a) else (None, 0, 0)
