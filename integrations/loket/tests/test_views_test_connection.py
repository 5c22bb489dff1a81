""""Test connection": every call the imports need is tried; the page lists what works and what fails,
naming the Loket right that is missing."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from connectors.loket.errors import RIGHT_EXPORT_JOURNAL_RUN, RIGHT_TAX_RETURNS
from integrations.loket.tests.flow import connect_through_portal, nl, page_text
from portal.languages import choose_language
from portal.models import Notice
from sandbox.loket import data
from tests.people import assign
from tests.vendor_state import portal_loket_connection

pytestmark = pytest.mark.django_db

KORENSCHOOF = next(a for a in data.ADMINISTRATIONS if a.key == "korenschoof")


def rows(page: str) -> list[str]:
    return page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]


@pytest.fixture
def employer(acme):
    """Korenschoof, assigned to Acme: the employer the portal's managers choose to test the portal's connection for."""
    return assign(acme, "loket", str(KORENSCHOOF.client_number), KORENSCHOOF.wage_tax_number, KORENSCHOOF.employer_name)


def test_the_portals_test_without_an_employer_tries_the_authorisation_only(web, users, loket_portal, employer, app):
    web.force_login(users["alice"])
    connect_through_portal(web)
    app.state.requests.clear()
    page = page_text(web.post(reverse("loket:test")))
    [check] = rows(page)
    assert "Loket accepteert de autorisatie; de Loket-gebruiker ziet 5 administraties." in check
    assert [request["path"].rsplit("/", 1)[-1] for request in app.state.requests] == ["administrations"]
    assert KORENSCHOOF.description not in page, "no employer picked by the test itself"
    choice = page.split('name="employer"')[1].split("</select>")[0]
    assert f'value="{employer.pk}"' in choice and "Acme: " in choice


def test_all_checks_pass_for_a_user_with_every_right(web, users, loket_portal, today, employer):
    web.force_login(users["alice"])
    connect_through_portal(web)
    response = web.post(reverse("loket:test"), {"employer": employer.pk})
    assert response.status_code == 200
    page = page_text(response)
    checks = rows(page)
    assert len(checks) == 8
    assert all('data-ok="true"' in row for row in checks)
    assert nl("Every call the imports need works.") in page
    assert nl("Loket authorisation") in checks[0] and nl("Wage tax returns") in checks[-1]


def test_a_missing_right_is_named(web, users, loket_portal, app, today, employer):
    web.force_login(users["alice"])
    connect_through_portal(web)
    app.state.revoke_right(RIGHT_TAX_RETURNS)
    app.state.revoke_right(RIGHT_EXPORT_JOURNAL_RUN)
    page = page_text(web.post(reverse("loket:test"), {"employer": employer.pk}))
    failing = [row for row in rows(page) if 'data-ok="false"' in row]
    assert len(failing) == 2
    assert nl("Wage tax returns") in failing[1] and RIGHT_TAX_RETURNS in failing[1]
    assert nl("Journal run results") in failing[0] and RIGHT_EXPORT_JOURNAL_RUN in failing[0]
    assert nl("%(failed)s of %(total)s checks failed.") % {"failed": 2, "total": 8} in page
    summary = page.split('data-testid="loket-test-summary"')[1].split("</p>")[0]
    assert f"{RIGHT_EXPORT_JOURNAL_RUN}, {RIGHT_TAX_RETURNS}" in summary


def test_an_administration_is_tested_with_its_client_and_wage_tax_number(web, users, acme_admin, loket_portal, today):
    acme_admin.relation_code = str(KORENSCHOOF.client_number)
    acme_admin.wage_tax_number = KORENSCHOOF.wage_tax_number
    acme_admin.save()
    assign(acme_admin.domain, "loket", str(KORENSCHOOF.client_number), KORENSCHOOF.wage_tax_number)
    web.force_login(users["alice"])
    connect_through_portal(web)  # the portal's access, which Acme uses
    web.force_login(users["carol"])
    page = page_text(web.post(reverse("loket:test"), {"administration": acme_admin.pk}))
    checks = rows(page)
    assert all('data-ok="true"' in row for row in checks), page
    assert KORENSCHOOF.description in checks[1]
    assert nl("This administration uses the portal's Loket access.") in page


def test_an_unknown_client_number_fails_at_the_administration_and_stops(web, users, acme_admin, loket_portal):
    web.force_login(users["alice"])
    connect_through_portal(web)
    page = page_text(web.post(reverse("loket:test"), {"administration": acme_admin.pk}))
    checks = rows(page)
    assert len(checks) == 2
    assert 'data-ok="true"' in checks[0] and 'data-ok="false"' in checks[1]
    assert "1001" in checks[1]  # Acme's client number, which the Loket user does not see


@pytest.mark.parametrize("method", ["get", "post"])
def test_not_connected_says_so_and_calls_nothing(web, users, loket_portal, app, method):
    web.force_login(users["alice"])
    page = page_text(getattr(web, method)(reverse("loket:test")))
    assert 'data-testid="loket-test-not-connected"' in page
    assert "<tbody>" not in page and 'data-testid="loket-test-run"' not in page
    assert app.state.requests == []


def test_a_revoked_authorisation_shows_re_authorisation_needed(web, users, loket_portal, app):
    web.force_login(users["alice"])
    connect_through_portal(web)
    app.state.expire_access_tokens()
    app.state.revoke_refresh_tokens()
    page = page_text(web.post(reverse("loket:test")))
    checks = rows(page)
    assert len(checks) == 1 and 'data-ok="false"' in checks[0]
    assert 'data-testid="loket-test-broken"' in page
    assert portal_loket_connection().status == "broken"
    settings_page = page_text(web.get(reverse("portal:settings")))
    assert 'data-testid="loket-broken"' in settings_page and "Verbind met Loket" in settings_page


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["carol", "erin"])
def test_only_portal_managers_test_the_portals_connection(web, users, loket_portal, who, method):
    web.force_login(users[who])
    assert getattr(web, method)(reverse("loket:test")).status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_domains_backoffice_cannot_test_an_administration(web, users, acme_admin, loket_portal, method):
    web.force_login(users["dave"])
    assert getattr(web, method)(reverse("loket:test"), {"administration": acme_admin.pk}).status_code == 404


def test_the_pages_offer_the_test_as_a_post_with_a_csrf_token(web, users, acme_admin, loket_portal):
    web.force_login(users["alice"])
    connect_through_portal(web)
    action = f'<form method="post" action="{reverse("loket:test")}"'
    settings_page = web.get(reverse("portal:settings")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in settings_page.split(action)[1].split("</form>")[0]
    assert f'<form method="get" action="{reverse("loket:test")}"' not in settings_page
    detail = web.get(reverse("portal:administration", args=[acme_admin.pk])).content.decode()
    test_form = detail.split(action)[1].split("</form>")[0]
    assert f'name="administration" value="{acme_admin.pk}"' in test_form
    assert 'name="csrfmiddlewaretoken"' in test_form


# --- a GET changes nothing: it shows the button --------------------------------------------------------

def test_a_get_only_shows_the_button_and_calls_nothing(web, users, loket_portal, app):
    web.force_login(users["alice"])
    connect_through_portal(web)
    before = portal_loket_connection()
    app.state.requests.clear()
    token_calls = app.faults.calls.get("loket:POST /oauth/token", 0)
    app.state.expire_access_tokens()  # a test now would refresh (and rotate) the tokens
    page = page_text(web.get(reverse("loket:test")))
    assert "<tbody>" not in page
    run = page.split('data-testid="loket-test-run"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in run and nl("Test connection") in run
    assert page.split('data-testid="loket-test-run"')[0].rsplit("<form", 1)[1].startswith(' method="post"')
    assert app.state.requests == [] and app.faults.calls.get("loket:POST /oauth/token", 0) == token_calls
    after = portal_loket_connection()
    assert (after.access_token, after.refresh_token, after.updated_at) == \
        (before.access_token, before.refresh_token, before.updated_at)


def test_a_get_with_a_revoked_authorisation_does_not_mark_it_broken(web, users, loket_portal, app):
    web.force_login(users["alice"])
    connect_through_portal(web)
    app.state.expire_access_tokens()
    app.state.revoke_refresh_tokens()
    page = page_text(web.get(reverse("loket:test")))
    assert "<tbody>" not in page and 'data-testid="loket-test-broken"' not in page
    assert portal_loket_connection().status == "authorised"
    assert not Notice.objects.exists(), "nobody is notified"
    web.post(reverse("loket:test"))  # running the test finds out, marks it and notifies
    assert portal_loket_connection().status == "broken"
    assert Notice.objects.count() == 1


def test_the_button_on_the_administration_page_tests_that_administration(web, users, acme_admin, loket_portal,
                                                                           employer):
    acme_admin.relation_code = str(KORENSCHOOF.client_number)
    acme_admin.wage_tax_number = KORENSCHOOF.wage_tax_number
    acme_admin.save()
    web.force_login(users["alice"])
    connect_through_portal(web)
    page = page_text(web.get(reverse("loket:test"), {"administration": acme_admin.pk}))
    run = page.split('data-testid="loket-test-run"')[1].split("</form>")[0]
    assert f'name="administration" value="{acme_admin.pk}"' in run


def test_the_test_runs_through_the_forms_csrf_token(users, portal_connection, today, employer):
    web = Client(enforce_csrf_checks=True)
    web.force_login(users["alice"])
    assert web.post(reverse("loket:test")).status_code == 403, "no token, no test"
    settings_page = web.get(reverse("portal:settings")).content.decode()
    form = settings_page.split(f'<form method="post" action="{reverse("loket:test")}"')[1].split("</form>")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    page = page_text(web.post(reverse("loket:test"), {"csrfmiddlewaretoken": token, "employer": employer.pk}))
    assert len(rows(page)) == 8 and all('data-ok="true"' in row for row in rows(page))
    assert 'data-testid="loket-test-run"' in page and nl("Test again") in page


# --- the results in the user's language ----------------------------------------------------------------

@pytest.fixture(autouse=True)
def _keep_the_language():
    """A request in English leaves English active in this thread (LocaleMiddleware): restore it, so
    the tests after these still run in the portal's Dutch."""
    language = translation.get_language()
    yield
    if language:
        translation.activate(language)
    else:
        translation.deactivate()


def english(web):
    """The logged-in person chooses English on their profile (the portal ignores the browser's)."""
    choose_language(get_user(web), "en")
    return web


def get_user(web):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=web.session["_auth_user_id"])


def test_results_are_dutch_in_the_dutch_portal(web, users, loket_portal, app, today, employer):
    web.force_login(users["alice"])
    connect_through_portal(web)
    app.state.revoke_right(RIGHT_TAX_RETURNS)
    checks = rows(page_text(web.post(reverse("loket:test"), {"employer": employer.pk})))
    assert "Loket accepteert de autorisatie." in checks[0] and "administraties" not in checks[0]
    assert "gevonden (clientnummer" in checks[1] and "loonheffingennummer" in checks[1]
    assert "verloningsperiodes leesbaar." in checks[2] and "dienstverbanden leesbaar." in checks[3]
    assert "Salarisstroken leesbaar" in checks[4] and "journaalruns leesbaar." in checks[5]
    assert "Resultaten van journaalruns leesbaar" in checks[6] or "Nog geen afgeronde journaalrun" in checks[6]
    assert f"De Loket-gebruiker van de koppeling mist het recht '{RIGHT_TAX_RETURNS}'" in checks[7]
    english_words = ("readable", "Loket accepts", "Found '", "refused access", "HTTP 403")
    assert not [word for word in english_words if any(word in row for row in checks)]


def test_results_are_english_in_the_english_portal(web, users, loket_portal, app, today, employer):
    web.force_login(users["alice"])
    connect_through_portal(web)
    app.state.revoke_right(RIGHT_TAX_RETURNS)
    checks = rows(page_text(english(web).post(reverse("loket:test"), {"employer": employer.pk})))
    assert "Loket accepts the authorisation." in checks[0] and "administrations" not in checks[0]
    assert "Found '" in checks[1] and "wage tax number" in checks[1]
    assert "payroll periods readable." in checks[2] and "Payslips readable" in checks[4]
    assert f"The Loket user of the link lacks the right '{RIGHT_TAX_RETURNS}'" in checks[7]
    dutch_words = ("leesbaar", "accepteert", "gevonden", "mist het recht")
    assert not [word for word in dutch_words if any(word in row for row in checks)]


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", "Loket moet opnieuw worden geautoriseerd"),
    ("en", "Loket needs to be authorised again"),
])
def test_a_failed_authorisation_is_told_in_the_users_language(web, users, loket_portal, app, language, expected):
    web.force_login(users["alice"])
    connect_through_portal(web)
    app.state.expire_access_tokens()
    app.state.revoke_refresh_tokens()
    choose_language(users["alice"], language)
    [check] = rows(page_text(web.post(reverse("loket:test"))))
    assert expected in check
