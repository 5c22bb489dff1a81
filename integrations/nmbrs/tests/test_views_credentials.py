"""Saving Nmbrs credentials through the portal's pages, against the Nmbrs sandbox over HTTP (docs/vendors/nmbrs.md,
step 2): valid credentials are saved as authorised; every refusal is shown to the user in their words
and nothing is saved."""

import html
import socket

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from connectors.nmbrs.client import NmbrsClient
from connectors.nmbrs.errors import (
    InvalidCredentials,
    MissingApiRights,
    NmbrsUnavailable,
    NoCompanyAccess,
    UnknownTenant,
)
from integrations.nmbrs.forms import NmbrsCredentialsForm
from integrations.nmbrs.models import NmbrsCredentials
from portal.models import AuditLogEntry
from portal.models.connections import ConnectionStatus
from sandbox.nmbrs import data
from tests.vendor_state import portal_nmbrs_credentials

pytestmark = pytest.mark.django_db


def portal_post(web, username=data.DEMO_USERNAME, token=data.DEMO_TOKEN, tenant=data.DEMO_DOMAIN, name=""):
    return web.post(reverse("portal:settings"), {
        "section": "nmbrs", "nmbrs-login_email": username, "nmbrs-api_token": token,
        "nmbrs-tenant_key": tenant, "nmbrs-tenant_name": name})


def errors_of(response) -> list[str]:
    """Every error the Nmbrs form shows, field and non-field."""
    form = response.context["nmbrs_form"]
    return [str(e) for errors in form.errors.values() for e in errors]


def assert_shown(response, text):
    assert response.status_code == 200
    assert text in errors_of(response), errors_of(response)
    assert text in html.unescape(response.content.decode()), "the explanation is on the page"


def assert_nothing_saved():
    assert portal_nmbrs_credentials() is None
    assert not NmbrsCredentials.objects.exists()


# --- the portal-wide default (portal settings page) ---------------------------------------------------

def test_valid_credentials_are_checked_with_one_call_and_saved_as_authorised(users, login, portal_nmbrs, nmbrs_app):
    web = login(users["alice"])
    response = portal_post(web, tenant=f"https://{data.DEMO_DOMAIN.capitalize()}.nmbrs.nl/applications/",
                           name=data.DEMO_TENANT_NAME)
    assert response.status_code == 302, errors_of(response)
    saved = portal_nmbrs_credentials()
    assert (saved.login_email, saved.api_token, saved.tenant_key) == (data.DEMO_USERNAME, data.DEMO_TOKEN,
                                                                      data.DEMO_DOMAIN)
    assert saved.status == ConnectionStatus.AUTHORISED and saved.validated_at is not None
    calls = list(nmbrs_app.state.calls)
    assert [(c.service, c.operation) for c in calls] == [("CompanyService", "List_GetAll")]
    assert (calls[0].username, calls[0].domain, calls[0].token_given) == (data.DEMO_USERNAME, data.DEMO_DOMAIN, True)
    entry = AuditLogEntry.objects.get(object_type="Nmbrs credentials")  # a msgid: the page translates it
    assert data.DEMO_TOKEN not in str(entry.changes), "the token is masked in the audit log"
    assert entry.changes["connection status"] == {"old": "", "new": "Authorised", "translate": True}


def test_a_wrong_token_is_explained_and_not_saved(users, login, portal_nmbrs):
    response = portal_post(login(users["alice"]), token="not-the-token")
    assert_shown(response, str(InvalidCredentials.user_message))
    assert_nothing_saved()


def test_a_wrong_email_is_explained_and_not_saved(users, login, portal_nmbrs):
    response = portal_post(login(users["alice"]), username="someone@else.nl")
    assert_shown(response, str(InvalidCredentials.user_message))
    assert_nothing_saved()


def test_an_english_user_sees_the_english_explanation(users, login, portal_nmbrs):
    response = portal_post(login(users["alice"], language="en"), token="not-the-token")
    [error] = errors_of(response)
    assert error.startswith("Nmbrs does not recognise the combination of Client ID, Client Secret and Tenant Key.")
    assert "API token" in error and "Controleer" not in error, "the same explanation as in Dutch, in English"
    assert_nothing_saved()


def test_an_unknown_tenant_key_2043_is_tenant_key_not_found(users, login, portal_nmbrs):
    response = portal_post(login(users["alice"]), tenant="kantor.nmbrs.nl")
    assert_shown(response, str(UnknownTenant.user_message))
    assert "Tenant Key niet gevonden" in response.context["nmbrs_form"].errors["tenant_key"][0]
    assert_nothing_saved()


def test_a_1001_naming_the_domain_is_tenant_key_not_found_too(users, login, portal_nmbrs, nmbrs_app):
    nmbrs_app.state.unknown_domain_fault = "1001"
    response = portal_post(login(users["alice"]), tenant="kantor")
    assert_shown(response, str(UnknownTenant.user_message))
    assert "vóór .nmbrs.nl" in response.context["nmbrs_form"].errors["tenant_key"][0]
    assert str(InvalidCredentials.user_message) not in errors_of(response), "not told the token is wrong"
    assert_nothing_saved()


def test_missing_api_rights_name_the_user_template_and_the_rights(users, login, portal_nmbrs):
    response = portal_post(login(users["alice"]), username=data.NO_API_RIGHTS_USERNAME,
                           token=data.NO_API_RIGHTS_TOKEN)
    assert_shown(response, str(MissingApiRights("", operation="List_GetAll", service="CompanyService").user_message))
    shown = " ".join(errors_of(response))
    assert "User templates" in shown and '"Webservices Right Edit"' in shown and "List_GetAll" in shown
    assert_nothing_saved()

    english = portal_post(login(users["alice"], language="en"), username=data.NO_API_RIGHTS_USERNAME,
                          token=data.NO_API_RIGHTS_TOKEN)
    [error] = errors_of(english)
    assert "Settings > User templates" in error and '"Webservices Right Edit"' in error
    assert 'set the right "List_GetAll" to Active' in error


def test_no_access_to_a_linked_company_is_1003(users, login, portal_nmbrs, acme_admin):
    """Administrations using the portal's credentials are linked to companies: a new user must see them."""
    web = login(users["alice"])
    assert portal_post(web).status_code == 302
    other_debtors = next(c for c in data.COMPANIES if c.debtor_id != 7001)
    acme_admin.source = "nmbrs"
    acme_admin.nmbrs_link.use_portal_credentials = True
    acme_admin.nmbrs_link.company_id = other_debtors.id
    acme_admin.nmbrs_link.company_number = str(other_debtors.number)
    acme_admin.nmbrs_link.company_name = other_debtors.name
    acme_admin.save()
    acme_admin.nmbrs_link.save()
    response = portal_post(web, username=data.ONE_DEBTOR_USERNAME, token=data.ONE_DEBTOR_TOKEN)
    assert_shown(response, str(NoCompanyAccess.user_message))
    assert any(other_debtors.name in e and acme_admin.name in e for e in errors_of(response))
    assert portal_nmbrs_credentials().login_email == data.DEMO_USERNAME, "not saved"

    acme_admin.nmbrs_link.company_id = 50001  # a company of the debtor this user does see
    acme_admin.save()
    acme_admin.nmbrs_link.save()
    response = portal_post(web, username=data.ONE_DEBTOR_USERNAME, token=data.ONE_DEBTOR_TOKEN)
    assert response.status_code == 302, errors_of(response)
    assert portal_nmbrs_credentials().login_email == data.ONE_DEBTOR_USERNAME


def test_a_transient_1006_is_retried_and_then_saved(users, login, portal_nmbrs, nmbrs_app):
    rule = nmbrs_app.faults.add("soap_fault", vendor="nmbrs", operation="List_GetAll",
                                message="1006: Login failed, please try again")
    response = portal_post(login(users["alice"]))
    assert response.status_code == 302, errors_of(response)
    assert rule.fired == 1, "the first attempt was refused with 1006"
    assert len(nmbrs_app.state.calls_to("List_GetAll")) == 1, "the retry reached Nmbrs"
    assert portal_nmbrs_credentials().status == ConnectionStatus.AUTHORISED


def test_a_1006_that_persists_is_explained_and_not_saved(users, login, portal_nmbrs, nmbrs_app, monkeypatch):
    # Three attempts as in production, without the production pauses between them.
    monkeypatch.setattr(NmbrsCredentialsForm, "_client",
                        lambda self, credentials, url: NmbrsClient(credentials, url, retry_delay=0))
    nmbrs_app.faults.add("soap_fault", vendor="nmbrs", operation="List_GetAll", times=0,
                         message="1006: Login failed, please try again")
    response = portal_post(login(users["alice"]))
    assert "Inloggen bij Nmbrs lukte tijdelijk niet" in " ".join(errors_of(response))
    with translation.override("nl"):
        assert gettext("Nothing is saved yet: save again in a few minutes.") in errors_of(response)
    assert nmbrs_app.faults.rules()[0]["fired"] == 3
    assert_nothing_saved()


def test_nmbrs_unreachable_is_a_form_error_not_a_crash(users, login, settings):
    with socket.socket() as sock:  # a port nobody listens on: the connection is refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.NMBRS_ENVIRONMENT = f"http://127.0.0.1:{port}/soap/v3/"
    response = portal_post(login(users["alice"]))
    assert_shown(response, str(NmbrsUnavailable.user_message))
    assert_nothing_saved()


def test_an_address_that_is_no_tenant_key_is_refused_before_asking_nmbrs(users, login, portal_nmbrs, nmbrs_app):
    response = portal_post(login(users["alice"]), tenant="https://www.example.com/login")
    assert "Tenant Key niet gevonden" in response.context["nmbrs_form"].errors["tenant_key"][0]
    assert not nmbrs_app.state.calls
    assert_nothing_saved()


def test_changed_credentials_that_nmbrs_refuses_keep_the_stored_ones(users, login, portal_nmbrs):
    web = login(users["alice"])
    assert portal_post(web).status_code == 302
    stored = portal_nmbrs_credentials()
    response = portal_post(web, token="a-new-but-wrong-token")
    assert_shown(response, str(InvalidCredentials.user_message))
    stored.refresh_from_db()
    assert stored.api_token == data.DEMO_TOKEN and stored.status == ConnectionStatus.AUTHORISED


# --- an administration's own credentials (administration edit page) ----------------------------------

def admin_post(web, administration, username=data.DEMO_USERNAME, token="", tenant=data.DEMO_DOMAIN):
    return web.post(reverse("portal:administration-edit", args=[administration.pk]), {
        "name": administration.name, "yuki_administration_id": administration.yuki_administration_id,
        "yuki_access_key": "", "source": "nmbrs", "relation_code": administration.relation_code,
        "wage_tax_number": administration.wage_tax_number, "use_portal_loket_access": "on",
        "use_portal_import_settings": "on",
        "nmbrs-login_email": username, "nmbrs-api_token": token, "nmbrs-tenant_key": tenant,
        "nmbrs-tenant_name": ""})


@pytest.fixture
def nmbrs_admin(acme_admin):
    acme_admin.source = "nmbrs"
    # Values the administration form accepts (a GUID, a wage tax number passing the 11-test).
    acme_admin.yuki_administration_id = "00000000-0000-4000-8000-000000000041"
    acme_admin.wage_tax_number = "812345678L01"
    acme_admin.nmbrs_link.own_credentials = NmbrsCredentials.objects.create(
        login_email=data.DEMO_USERNAME, api_token=data.DEMO_TOKEN, tenant_key=data.DEMO_DOMAIN)
    acme_admin.save()
    acme_admin.nmbrs_link.save()
    return acme_admin


def test_own_credentials_with_the_stored_token_kept_are_checked_with_the_stored_token(
        users, login, portal_nmbrs, nmbrs_app, nmbrs_admin):
    response = admin_post(login(users["carol"]), nmbrs_admin, token="")
    assert response.status_code == 302, errors_of(response)
    credentials = NmbrsCredentials.objects.get(pk=nmbrs_admin.nmbrs_link.own_credentials_id)
    assert credentials.status == ConnectionStatus.AUTHORISED and credentials.validated_at is not None
    assert credentials.api_token == data.DEMO_TOKEN
    [call] = nmbrs_app.state.calls_to("List_GetAll")
    assert call.token_given


def test_a_stored_token_nmbrs_no_longer_accepts_is_explained(users, login, portal_nmbrs, nmbrs_admin):
    NmbrsCredentials.objects.filter(pk=nmbrs_admin.nmbrs_link.own_credentials_id).update(api_token="revoked-token")
    response = admin_post(login(users["carol"]), nmbrs_admin, token="")
    assert_shown(response, str(InvalidCredentials.user_message))
    assert NmbrsCredentials.objects.get(pk=nmbrs_admin.nmbrs_link.own_credentials_id).status != ConnectionStatus.AUTHORISED


def test_own_credentials_without_access_to_the_linked_company_are_1003(users, login, portal_nmbrs, nmbrs_admin):
    nmbrs_admin.nmbrs_link.company_id = 50003  # De Vries Fietsen: another debtor than the one Jansen sees
    nmbrs_admin.nmbrs_link.company_name = "De Vries Fietsen V.O.F."
    nmbrs_admin.save()
    nmbrs_admin.nmbrs_link.save()
    response = admin_post(login(users["carol"]), nmbrs_admin, username=data.ONE_DEBTOR_USERNAME,
                          token=data.ONE_DEBTOR_TOKEN)
    assert_shown(response, str(NoCompanyAccess.user_message))
    credentials = NmbrsCredentials.objects.get(pk=nmbrs_admin.nmbrs_link.own_credentials_id)
    assert (credentials.login_email, credentials.api_token) == (data.DEMO_USERNAME, data.DEMO_TOKEN)


def test_unknown_tenant_on_the_administration_page(users, login, portal_nmbrs, nmbrs_admin):
    response = admin_post(login(users["carol"]), nmbrs_admin, tenant="kantor")
    assert_shown(response, str(UnknownTenant.user_message))
    assert NmbrsCredentials.objects.get(pk=nmbrs_admin.nmbrs_link.own_credentials_id).tenant_key == data.DEMO_DOMAIN


def test_the_administration_form_states_the_sync_direction(users, login, nmbrs_admin):
    html = login(users["carol"], language="en").get(
        reverse("portal:administration-edit", args=[nmbrs_admin.pk])).content.decode()
    assert "Incoming (fetch data from Nmbrs)" in html
    assert "Outgoing (send data to Nmbrs) is not offered: the portal owns no payroll data to send back" in html
