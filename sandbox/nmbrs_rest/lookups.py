"""The REST sandbox's UUIDs of companies and employees, computed once per set of companies.

A request used to hash the UUID of every company (and of every employee of every company) to find the
one it names; with a thousand companies the sandbox, not the portal, was the cost in bench/bench_import.py.
As sandbox/loket/api.py's `_Index`: the index is built once per data set and rebuilt when the set changes
(tests and the bench extend or replace `NmbrsState.companies`).
"""

from __future__ import annotations

import threading

from sandbox.nmbrs import data as soap_data
from sandbox.nmbrs_rest import data


class UidIndex:
    def __init__(self, companies: list[soap_data.Company]):
        self.companies = tuple(companies)  # held, so the ids in `key` stay theirs
        self.key = tuple(map(id, self.companies))
        self.by_company_uid = {data.company_uid(c.id): c for c in self.companies}
        self.by_employee_uid = {data.employee_uid(c.id, e.number): (c, e) for c in self.companies
                                for e in c.employees}

    def fits(self, companies: list[soap_data.Company]) -> bool:
        """Whether the list holds the same company objects (frozen, so the same data) as this index."""
        return len(companies) == len(self.key) and tuple(map(id, companies)) == self.key


_lock = threading.Lock()
_current: UidIndex | None = None  # one data set at a time: a test's world replaces the previous one


def index(companies: list[soap_data.Company]) -> UidIndex:
    global _current
    with _lock:
        if _current is None or not _current.fits(companies):
            _current = UidIndex(companies)
        return _current
