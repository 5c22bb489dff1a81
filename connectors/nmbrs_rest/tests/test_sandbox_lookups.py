"""The REST sandbox finds companies and employees by UUID through an index, and still refuses unknown ids."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sandbox.nmbrs_rest import api, data
from sandbox.nmbrs_rest.state import ALL_SCOPES, RestState


def _get(state: RestState, path: str, query: str = "year=2026&period=10") -> int:
    token = state.issue_tokens(data.DEMO_USERNAME, ALL_SCOPES)["access_token"]
    environ = {"HTTP_X_SUBSCRIPTION_KEY": data.SUBSCRIPTION_KEY, "HTTP_AUTHORIZATION": f"Bearer {token}",
               "QUERY_STRING": query, "REQUEST_METHOD": "GET"}
    return api.handle(environ, state, path).status


def _state() -> RestState:
    state = RestState()
    state.payroll.clock = lambda: date(2026, 11, 18)
    return state


def test_known_ids_are_found_and_unknown_or_other_kinds_answer_404():
    state = _state()
    company = state.payroll.companies[0]
    employee = company.employees[0]
    assert _get(state, f"/api/companies/{data.company_uid(company.id)}/runs") == 200
    assert _get(state, f"/api/employees/{data.employee_uid(company.id, employee.number)}/payslipperperiod") == 200

    assert _get(state, f"/api/companies/{data.uid('company', 999_999)}/runs") == 404
    assert _get(state, f"/api/companies/{data.debtor_uid(company.debtor_id)}/runs") == 404  # a debtor's id
    assert _get(state, f"/api/companies/{data.employee_uid(company.id, employee.number)}/runs") == 404
    assert _get(state, f"/api/employees/{data.company_uid(company.id)}/payslipperperiod") == 404
    assert _get(state, f"/api/employees/{data.employee_uid(company.id, 999)}/payslipperperiod") == 404


def test_the_index_follows_the_companies_as_a_test_changes_them():
    state = _state()
    first = state.payroll.companies[0]
    assert _get(state, f"/api/companies/{data.company_uid(first.id)}/runs") == 200

    added = replace(first, id=88_001, number=9001)
    state.payroll.companies.append(added)
    assert _get(state, f"/api/companies/{data.company_uid(added.id)}/runs") == 200
    assert _get(state, f"/api/employees/{data.employee_uid(added.id, 1)}/payslipperperiod") == 200

    state.payroll.companies.remove(first)  # the same length as before the append would no longer hide it
    state.payroll.companies.remove(added)
    state.payroll.companies.append(replace(added, id=88_002))
    assert _get(state, f"/api/companies/{data.company_uid(first.id)}/runs") == 404
    assert _get(state, f"/api/companies/{data.company_uid(added.id)}/runs") == 404
    assert _get(state, f"/api/employees/{data.employee_uid(first.id, 1)}/payslipperperiod") == 404
    assert _get(state, f"/api/companies/{data.company_uid(88_002)}/runs") == 200


def test_a_second_world_does_not_see_the_first_worlds_companies():
    one, other = _state(), _state()
    other.payroll.companies[:] = other.payroll.companies[1:]
    gone = one.payroll.companies[0]
    assert _get(one, f"/api/companies/{data.company_uid(gone.id)}/runs") == 200
    assert _get(other, f"/api/companies/{data.company_uid(gone.id)}/runs") == 404
    assert _get(one, f"/api/companies/{data.company_uid(gone.id)}/runs") == 200
