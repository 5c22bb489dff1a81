"""Fault texts -> typed errors (the one place they are read), with messages a user can act on."""

import pytest

from connectors.nmbrs.errors import (
    FAULT_CODES,
    DocumentedNmbrsError,
    InvalidCredentials,
    LoginTemporarilyFailed,
    MissingApiRights,
    NoCompanyAccess,
    NotFound,
    UnknownNmbrsError,
    UnknownTenant,
    parse_fault,
)

ASMX = "Server was unable to process request. ---> "


@pytest.mark.parametrize(("text", "cls", "transient"), [
    (ASMX + "1001: Invalid Authentication", InvalidCredentials, False),
    (ASMX + "1002: Insufficient rights", MissingApiRights, False),
    (ASMX + "1003: Authorization data: no access to company 5", NoCompanyAccess, False),
    (ASMX + "1006: Login failed, please try again", LoginTemporarilyFailed, True),
    (ASMX + "2043: Invalid domain 'x'", UnknownTenant, False),
    (ASMX + "2046: Run not found", NotFound, False),
    (ASMX + "9999: Unknown error", UnknownNmbrsError, False),
    ("System.Web.Services.Protocols.SoapException: Server was unable to process request. --->1001:Invalid", InvalidCredentials, False),
])
def test_each_nmbrs_code_becomes_its_own_error(text, cls, transient):
    error = parse_fault(text, "Run_GetList")
    assert type(error) is cls
    assert error.transient is transient
    assert error.fault_text == text
    assert error.operation == "Run_GetList"


def test_a_1001_that_names_the_domain_is_an_unknown_tenant_key():
    error = parse_fault(ASMX + "1001: Invalid Authentication: domain 'kantor' not found")
    assert isinstance(error, UnknownTenant)
    assert error.vendor_code == 1001 and error.code == 2043
    assert "part before .nmbrs.nl" in error.message
    assert str(error.user_message).startswith("Tenant Key niet gevonden")
    assert "vóór .nmbrs.nl" in str(error.user_message)


def test_wrong_email_or_token_tells_which_fields_to_check():
    error = parse_fault(ASMX + "1001: Invalid Authentication")
    assert "login e-mail" in error.message and "API token" in error.message
    assert "Client ID" in str(error.user_message) and "Client Secret" in str(error.user_message)


def test_missing_rights_names_the_user_template_and_webservices_right_edit():
    error = parse_fault(ASMX + "1002: Insufficient rights", "Run_GetList")
    assert "User templates" in error.message and "Webservices Right Edit" in error.message
    assert "Run_GetList" in error.message
    assert "User templates" in str(error.user_message) and "Webservices Right Edit" in str(error.user_message)
    assert not error.needs_annual_document_rights


@pytest.mark.parametrize("operation", ["SalaryDocuments_GetSEPA", "Journals_GetByRunCompany_v2", "Run_GetList"])
def test_missing_rights_in_dutch_name_the_refused_operation(operation):
    error = parse_fault(ASMX + "1002: Insufficient rights", operation, "CompanyService")
    assert f'geen API-recht voor "{operation}"' in str(error.user_message)
    assert f'onder Company services het recht "{operation}" op Actief' in str(error.user_message)
    assert "User templates" in str(error.user_message) and '"Webservices Right Edit"' in str(error.user_message)
    other = parse_fault(ASMX + "1002: Insufficient rights", "SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2")
    assert operation not in str(other.user_message), "each error names its own operation"


def test_missing_rights_without_a_known_operation_say_so_in_general():
    error = parse_fault(ASMX + "1002: Insufficient rights")
    assert "onvoldoende API-rechten" in str(error.user_message) and "Webservices Right Edit" in str(error.user_message)


def test_missing_rights_through_the_client_name_operation_and_service_in_dutch(make_client, nmbrs_app):
    nmbrs_app.faults.add("soap_fault", vendor="nmbrs", operation="SalaryDocuments_GetSEPA",
                         message="1002: Insufficient rights")
    with pytest.raises(MissingApiRights) as info:
        make_client().call("CompanyService", "SalaryDocuments_GetSEPA", CompanyId=50001, RunID=1, Year=2025,
                           paymentDate="2025-01-31T00:00:00")
    assert info.value.service == "CompanyService"
    assert 'onder Company services het recht "SalaryDocuments_GetSEPA" op Actief' in str(info.value.user_message)


def test_missing_annual_document_rights_names_the_salarydocuments_annualdocument_rights():
    error = parse_fault(ASMX + "1002: Insufficient rights", "SalaryDocuments_AnnualDocument_AnualStatement")
    assert error.needs_annual_document_rights
    assert '"SalaryDocuments_AnnualDocument"' in error.message
    assert "Company services" in str(error.user_message)
    assert "SalaryDocuments_AnnualDocument" in str(error.user_message)
    assert '"SalaryDocuments_AnnualDocument_AnualStatement"' in str(error.user_message)  # what was refused


def test_unknown_codes_keep_the_code_and_text_without_a_code_is_unknown():
    error = parse_fault(ASMX + "4711: Something new")
    assert isinstance(error, UnknownNmbrsError) and error.code == 4711
    assert "4711: Something new" in error.message
    bare = parse_fault("Object reference not set to an instance of an object.", "WageTax_GetXML")
    assert isinstance(bare, UnknownNmbrsError) and bare.code is None
    assert "WageTax_GetXML" in bare.message



def dutch(error) -> str:
    """What a Dutch reader sees (the portal's catalog, through connectors/texts.py)."""
    from django.utils import translation

    with translation.override("nl"):
        return str(error.user_message)


# Every code the public Nmbrs SDK and help pages document (docs/vendors/nmbrs.md), and how we treat it.
DOCUMENTED = {1000: False, 1001: False, 1002: False, 1003: False, 1004: False, 1006: True, 2001: False,
              2002: False, 2003: False, 2004: False, 2006: False, 2009: False, 2011: False, 2012: False,
              2013: False, 2014: False, 2015: False, 2016: False, 2017: False, 2018: False, 2019: True,
              2020: True, 2021: False, 2022: False, 2028: False, 2029: False, 2030: False, 2032: False,
              2033: False, 2034: False, 2035: False, 2036: False, 2037: False, 2038: False, 2039: False,
              2040: False, 2041: False, 2042: False, 2043: False, 2044: False, 2045: False, 2046: False,
              2047: False}


@pytest.mark.parametrize(("code", "transient"), sorted(DOCUMENTED.items()))
def test_every_documented_code_is_known_with_its_kind_and_a_dutch_explanation(code, transient):
    error = parse_fault(f"{ASMX}{code}: Nmbrs text", "Run_GetList", "CompanyService")
    assert not isinstance(error, UnknownNmbrsError)
    assert error.code == code and error.vendor_code == code
    assert error.transient is transient
    assert dutch(error) and dutch(error) != dutch(UnknownNmbrsError('x'))
    assert f"{code}: Nmbrs text" in error.message


def test_the_table_holds_exactly_the_documented_codes():
    assert set(FAULT_CODES) == set(DOCUMENTED)


@pytest.mark.parametrize(("code", "words"), [
    (1004, "geen geldig abonnement"), (2004, "geen rechten op dit bedrijf"), (2006, "periodetype"),
    (2009, "geen rechten op deze debiteur"), (2013, "proefversie"), (2042, "meerdere Nmbrs-omgevingen")])
def test_codes_a_sync_can_meet_explain_themselves_in_dutch(code, words):
    error = parse_fault(f"{ASMX}{code}: x")
    assert isinstance(error, DocumentedNmbrsError | NoCompanyAccess)
    assert words in dutch(error) and not error.transient


def test_a_1001_may_also_mean_a_wrong_tenant_key_so_the_dutch_text_names_all_three_fields():
    error = parse_fault(ASMX + "1001: Invalid Authentication")
    assert all(field in dutch(error) for field in ("Client ID", "Client Secret", "Tenant Key"))
    assert "Tenant Key" in error.message


@pytest.mark.parametrize("text", [ASMX + "7777: Something new", ASMX + "9999: Unknown error", "no code at all"])
def test_an_unknown_code_is_permanent(text):
    error = parse_fault(text)
    assert isinstance(error, UnknownNmbrsError) and not error.transient


def test_the_sandbox_answers_an_unknown_company_or_debtor_with_2004_or_2009(client):
    with pytest.raises(NoCompanyAccess) as company:
        client.runs(99999, 2025)
    with pytest.raises(NoCompanyAccess) as debtor:
        client.companies(99999)
    assert (company.value.vendor_code, debtor.value.vendor_code) == (2004, 2009)
    assert "geen rechten op dit bedrijf" in dutch(company.value)
    assert "geen rechten op deze debiteur" in dutch(debtor.value)
