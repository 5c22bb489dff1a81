"""Saving a connection: one call against the sandbox, failures explained (docs/vendors/nmbrs.md)."""

import pytest

from connectors.nmbrs.client import NmbrsClient
from connectors.nmbrs.credentials import InvalidTenantKey, validate_credentials
from connectors.nmbrs.errors import (
    InvalidCredentials,
    LoginTemporarilyFailed,
    MissingApiRights,
    NoCompanyAccess,
    UnknownTenant,
)
from sandbox.nmbrs import data


def validate(base_url, username=data.DEMO_USERNAME, token=data.DEMO_TOKEN, tenant=data.DEMO_DOMAIN, **kwargs):
    return validate_credentials(username, token, tenant, base_url=base_url, **kwargs)


def test_valid_credentials_return_the_visible_companies_after_one_call(base_url, nmbrs_app):
    check = validate(base_url, tenant=f"https://{data.DEMO_DOMAIN}.nmbrs.nl/")
    assert {c.number for c in check.companies} == {c.number for c in data.COMPANIES}
    assert check.credentials.tenant_key == data.DEMO_DOMAIN
    calls = nmbrs_app.state.calls
    assert [(c.service, c.operation) for c in calls] == [("CompanyService", "List_GetAll")]
    assert (calls[0].username, calls[0].domain, calls[0].token_given) == (data.DEMO_USERNAME, data.DEMO_DOMAIN, True)


def test_a_wrong_token_is_fault_1001(base_url):
    with pytest.raises(InvalidCredentials) as info:
        validate(base_url, token="not-the-token")
    assert info.value.vendor_code == 1001


def test_a_wrong_email_is_fault_1001(base_url):
    with pytest.raises(InvalidCredentials):
        validate(base_url, username="someone@else.nl")


def test_an_unknown_tenant_key_is_reported_as_tenant_key_not_found(base_url):
    with pytest.raises(UnknownTenant) as info:
        validate(base_url, tenant="kantor.nmbrs.nl")
    assert info.value.vendor_code == 2043
    assert "Tenant Key niet gevonden" in str(info.value.user_message)


def test_an_unknown_tenant_key_answered_as_1001_naming_the_domain_is_still_an_unknown_tenant(base_url, nmbrs_app):
    nmbrs_app.state.unknown_domain_fault = "1001"
    with pytest.raises(UnknownTenant) as info:
        validate(base_url, tenant="kantor")
    assert info.value.vendor_code == 1001


def test_a_user_without_api_rights_is_told_which_rights_to_switch_on(base_url):
    with pytest.raises(MissingApiRights) as info:
        validate(base_url, username=data.NO_API_RIGHTS_USERNAME, token=data.NO_API_RIGHTS_TOKEN)
    assert "Webservices Right Edit" in info.value.message
    assert "List_GetAll" in info.value.message


def test_a_linked_company_the_user_cannot_see_is_no_company_access(base_url):
    other_debtors_company = next(c for c in data.COMPANIES if c.debtor_id != 7001)
    with pytest.raises(NoCompanyAccess) as info:
        validate(base_url, username=data.ONE_DEBTOR_USERNAME, token=data.ONE_DEBTOR_TOKEN,
                 company_id=other_debtors_company.id)
    assert info.value.code == 1003
    check = validate(base_url, username=data.ONE_DEBTOR_USERNAME, token=data.ONE_DEBTOR_TOKEN, company_id=50001)
    assert {c.id for c in check.companies} == {50001, 50002}


def test_a_transient_1006_is_retried(base_url, nmbrs_app):
    nmbrs_app.faults.add("soap_fault", vendor="nmbrs", operation="List_GetAll",
                         message="1006: Login failed, please try again")
    check = validate(base_url, client_factory=lambda creds, url: _fast_client(creds, url))
    assert check.companies
    assert len(nmbrs_app.state.calls) == 1  # the faulted attempt never reached the handler


def test_a_persistent_1006_gives_up_after_the_bounded_attempts(base_url, nmbrs_app):
    nmbrs_app.faults.add("soap_fault", vendor="nmbrs", operation="List_GetAll", times=0,
                         message="1006: Login failed, please try again")
    with pytest.raises(LoginTemporarilyFailed) as info:
        validate(base_url, client_factory=lambda creds, url: _fast_client(creds, url))
    assert info.value.transient
    assert nmbrs_app.faults.rules()[0]["fired"] == 3


def test_empty_fields_are_refused_before_calling_nmbrs(base_url, nmbrs_app):
    with pytest.raises(InvalidCredentials):
        validate(base_url, username="")
    with pytest.raises(InvalidCredentials):
        validate(base_url, token="  ")
    with pytest.raises(InvalidTenantKey):
        validate(base_url, tenant="https://www.example.com")
    assert not nmbrs_app.state.calls


def _fast_client(credentials, base_url):
    return NmbrsClient(credentials, base_url, retry_delay=0)
