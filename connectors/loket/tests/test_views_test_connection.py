""""Test connection": every call the imports need is tried; the page lists what works and what fails,
naming the Loket right that is missing."""

import pytest
from django.urls import reverse

from connectors.loket.errors import RIGHT_EXPORT_JOURNAL_RUN, RIGHT_TAX_RETURNS
from connectors.loket.tests.conftest import connect_through_portal, nl, page_text
from portal.models import PortalSettings
from sandbox.loket import data
from tests.conftest import acme, acme_admin, bakkerij, users

pytestmark = pytest.mark.django_db
PORTAL_FIXTURES = (acme, acme_admin, bakkerij, users)  # the named users and domains of tests/conftest.py

KORENSCHOOF = next(a for a in data.ADMINISTRATIONS if a.key == "korenschoof")


def rows(page: str) -> list[str]:
    return page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]


def test_all_checks_pass_for_a_user_with_every_right(web, users, loket_portal, today):
    web.force_login(users["alice"])
    connect_through_portal(web)
    response = web.get(reverse("loket:test"))
    assert response.status_code == 200
    page = page_text(response)
    checks = rows(page)
    assert len(checks) == 8
    assert all('data-ok="true"' in row for row in checks)
    assert nl("Every call the imports need works.") in page
    assert nl("Loket authorisation") in checks[0] and nl("Wage tax returns") in checks[-1]


def test_a_missing_right_is_named(web, users, loket_portal, app, today):
    web.force_login(users["alice"])
    connect_through_portal(web)
    app.state.revoke_right(RIGHT_TAX_RETURNS)
    app.state.revoke_right(RIGHT_EXPORT_JOURNAL_RUN)
    page = page_text(web.get(reverse("loket:test")))
    failing = [row for row in rows(page) if 'data-ok="false"' in row]
    assert len(failing) == 2
    assert nl("Wage tax returns") in failing[1] and RIGHT_TAX_RETURNS in failing[1]
    assert nl("Journal run results") in failing[0] and RIGHT_EXPORT_JOURNAL_RUN in failing[0]
    assert nl("%(failed)s of %(total)s checks failed.") % {"failed": 2, "total": 8} in page
    summary = page.split('data-testid="loket-test-summary"')[1].split("</p>")[0]
    assert f"{RIGHT_EXPORT_JOURNAL_RUN}, {RIGHT_TAX_RETURNS}" in summary


def test_an_administration_is_tested_with_its_client_and_wage_tax_number(web, users, acme_admin, loket_portal, today):
    acme_admin.loket_client_number = str(KORENSCHOOF.client_number)
    acme_admin.wage_tax_number = KORENSCHOOF.wage_tax_number
    acme_admin.save()
    web.force_login(users["alice"])
    connect_through_portal(web)  # the portal's access, which Acme uses
    web.force_login(users["carol"])
    page = page_text(web.get(reverse("loket:test"), {"administration": acme_admin.pk}))
    checks = rows(page)
    assert all('data-ok="true"' in row for row in checks), page
    assert KORENSCHOOF.description in checks[1]
    assert nl("This administration uses the portal's Loket access.") in page


def test_an_unknown_client_number_fails_at_the_administration_and_stops(web, users, acme_admin, loket_portal):
    web.force_login(users["alice"])
    connect_through_portal(web)
    page = page_text(web.get(reverse("loket:test"), {"administration": acme_admin.pk}))
    checks = rows(page)
    assert len(checks) == 2
    assert 'data-ok="true"' in checks[0] and 'data-ok="false"' in checks[1]
    assert "1001" in checks[1]  # Acme's client number, which the Loket user does not see


def test_not_connected_says_so_and_calls_nothing(web, users, loket_portal, app):
    web.force_login(users["alice"])
    page = page_text(web.get(reverse("loket:test")))
    assert 'data-testid="loket-test-not-connected"' in page
    assert "<tbody>" not in page
    assert app.state.requests == []


def test_a_revoked_authorisation_shows_re_authorisation_needed(web, users, loket_portal, app):
    web.force_login(users["alice"])
    connect_through_portal(web)
    app.state.expire_access_tokens()
    app.state.revoke_refresh_tokens()
    page = page_text(web.get(reverse("loket:test")))
    checks = rows(page)
    assert len(checks) == 1 and 'data-ok="false"' in checks[0]
    assert 'data-testid="loket-test-broken"' in page
    assert PortalSettings.load().loket_connection.status == "broken"
    settings_page = page_text(web.get(reverse("portal:settings")))
    assert 'data-testid="loket-broken"' in settings_page and "Verbind met Loket" in settings_page


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_only_portal_managers_test_the_portals_connection(web, users, loket_portal, who):
    web.force_login(users[who])
    assert web.get(reverse("loket:test")).status_code == 403


def test_another_domains_backoffice_cannot_test_an_administration(web, users, acme_admin, loket_portal):
    web.force_login(users["dave"])
    assert web.get(reverse("loket:test"), {"administration": acme_admin.pk}).status_code == 403


def test_the_pages_offer_the_test(web, users, acme_admin, loket_portal):
    web.force_login(users["alice"])
    connect_through_portal(web)
    action = f'<form method="get" action="{reverse("loket:test")}"'
    assert action in web.get(reverse("portal:settings")).content.decode()
    detail = web.get(reverse("portal:administration", args=[acme_admin.pk])).content.decode()
    test_form = detail.split(action)[1].split("</form>")[0]
    assert f'name="administration" value="{acme_admin.pk}"' in test_form
