"""Finding an administration's Loket payroll administration by client number and wage tax number."""

from __future__ import annotations

import httpx2
import pytest

from connectors.loket.administrations import find_administration, normalise_wage_tax_number
from connectors.loket.client import LoketClient
from connectors.loket.errors import AdministrationNotFound, AmbiguousAdministration
from sandbox.loket import data


def _admin(key):
    return next(a for a in data.ADMINISTRATIONS if a.key == key)


def test_client_number_and_wage_tax_number_find_the_payroll_administration(client):
    found = find_administration(client, "40123", "812345678L01")
    korenschoof = _admin("korenschoof")
    assert (found.id, found.employer_id, found.client_number) == (korenschoof.id, korenschoof.employer_id, "40123")


def test_wage_tax_number_is_matched_however_it_was_typed(client):
    assert normalise_wage_tax_number(" 8123.45.678.l.01 ") == "812345678L01"
    assert find_administration(client, " 40123 ", "8123 45 678 l01").id == _admin("korenschoof").id


def test_an_ended_administration_with_the_same_numbers_loses_to_the_active_one(client):
    assert find_administration(client, "40124", "823456705L01").id == _admin("vandijk").id


def test_a_non_payroll_administration_with_the_same_numbers_is_ignored(client):
    assert find_administration(client, "40125", "834567891L02").id == _admin("hetanker").id


def test_an_unknown_client_number_is_a_clear_error(client):
    with pytest.raises(AdministrationNotFound, match="no payroll administration with client number 99999"):
        find_administration(client, "99999", "812345678L01")


def test_a_wrong_wage_tax_number_says_which_ones_loket_has(client):
    with pytest.raises(AdministrationNotFound, match=r"812345678L02.*it has: 812345678L01"):
        find_administration(client, "40123", "812345678L02")


def test_input_errors_are_caught_before_calling_loket(client, app):
    with pytest.raises(AdministrationNotFound, match="not a number"):
        find_administration(client, "K-40123", "812345678L01")
    with pytest.raises(AdministrationNotFound, match="No wage tax number"):
        find_administration(client, "40123", "")
    assert app.state.requests == []


def test_two_active_matches_are_ambiguous_never_a_guess():
    twin = {"clientNumber": 7, "wageTaxNumber": "111111111L01", "isPayrollAdministration": True,
            "employerId": "e", "endDate": None}
    page = {"totalSize": 2, "pageSize": 250, "totalPages": 1, "currentPage": 1, "messages": [],
            "_embedded": [{**twin, "id": "a", "description": "Vestiging Noord"},
                          {**twin, "id": "b", "description": "Vestiging Zuid"}]}

    def loket(request: httpx2.Request) -> httpx2.Response:
        assert request.url.path == "/v2/providers/employers/administrations"
        return httpx2.Response(200, json=page)

    with LoketClient("https://loket.test/v2", lambda force_refresh=False: "token",
                     transport=httpx2.MockTransport(loket)) as client:
        with pytest.raises(AmbiguousAdministration, match="'Vestiging Noord', 'Vestiging Zuid'"):
            find_administration(client, "7", "111111111L01")
