"""The checks against Nmbrs' OpenAPI description are real: a wrong field on either side fails."""

from __future__ import annotations

import pytest

from connectors.nmbrs_rest import errors
from connectors.nmbrs_rest.tests import spec
from sandbox.nmbrs_rest import api


def test_every_sandbox_answer_is_checked(rest_sandbox_server, client):
    validating = rest_sandbox_server[2]
    before = validating.checked
    client.debtors()
    assert validating.checked == before + 1


def test_a_wrong_field_in_a_sandbox_answer_fails(rest_sandbox_server, rest_app, client, company, monkeypatch):
    right = api._HANDLERS["runs"]

    def runs_with_a_text_number(state, username, params, company):
        answer = right(state, username, params, company)
        answer.body = answer.body.replace(b'"number": 1,', b'"number": "1",', 1)  # the spec says integer
        return answer

    monkeypatch.setitem(api._HANDLERS, "runs", runs_with_a_text_number)
    with pytest.raises(errors.NmbrsRestUnavailable):
        client.runs(company.id, 2026)
    validating = rest_sandbox_server[2]
    assert validating.failures and all("number" in failure for failure in validating.failures)
    validating.failures.clear()  # seen: the fixture's own end-of-test check would fail the test otherwise


def test_a_request_outside_the_spec_fails_before_it_is_sent(rest_app, client, company, spec_failures):
    run = client.runs(company.id, 2026)[0]
    with pytest.raises(spec.SpecViolation, match="year"):
        client.start_task(f"/api/companies/{company.id}/runs/{run.id}/journals")  # year is required
    assert spec_failures
    spec_failures.clear()
    assert not rest_app.state.requests_to("/journals")


def test_a_status_the_spec_does_not_list_is_a_violation():
    with pytest.raises(spec.SpecViolation):
        spec.check_response("GET", "/api/debtors", "", [("Authorization", "Bearer x")], 418,
                            [("Content-Type", "application/json")], b"{}")
