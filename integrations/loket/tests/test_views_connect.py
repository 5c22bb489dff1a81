"""Step 1 of the flow: "Verbind met Loket" sends the user to Loket's login with scope `all` and a state."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from integrations.loket.tests.flow import nl, page_text, portal_redirect_uri, start_connect
from integrations.loket.views import SESSION_KEY
from sandbox.loket import data

pytestmark = pytest.mark.django_db


def query_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def test_connect_sends_the_user_to_lokets_login_with_scope_all_and_a_session_bound_state(
        web, users, loket_portal):
    web.force_login(users["alice"])
    response = start_connect(web)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(loket_portal.url + "/oauth/authorize?")
    params = query_of(location)
    assert params["response_type"] == "code"
    assert params["scope"] == "all"
    assert params["client_id"] == data.CLIENT_ID
    assert params["redirect_uri"] == portal_redirect_uri() == "http://testserver/loket/callback/"
    assert len(params["state"]) >= 32
    assert web.session[SESSION_KEY] == {"state": params["state"], "administration": None,
                                        "return_url": params["redirect_uri"]}


def test_every_attempt_gets_its_own_state(web, users, loket_portal):
    web.force_login(users["alice"])
    first = query_of(start_connect(web)["Location"])["state"]
    second = query_of(start_connect(web)["Location"])["state"]
    assert first != second
    assert web.session[SESSION_KEY]["state"] == second


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_portal_administrator_and_portal_backoffice_may_connect_the_portal(web, users, loket_portal, who):
    web.force_login(users[who])
    assert start_connect(web).status_code == 302


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_others_may_not_connect_the_portal(web, users, loket_portal, who):
    web.force_login(users[who])
    assert start_connect(web).status_code == 403
    assert SESSION_KEY not in web.session


def test_anonymous_users_are_sent_to_the_login(web, loket_portal):
    response = start_connect(web)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_connect_is_a_post(web, users, loket_portal):
    web.force_login(users["alice"])
    assert web.get(reverse("loket:connect")).status_code == 405


def test_an_administration_without_the_portals_access_connects_its_own(web, users, acme_admin, loket_portal):
    acme_admin.loket_link.use_portal_access = False
    acme_admin.save()
    acme_admin.loket_link.save()
    web.force_login(users["carol"])  # backoffice of Acme (docs/vendors/loket.md, "Per administration")
    response = start_connect(web, acme_admin)
    assert response.status_code == 302
    assert query_of(response["Location"])["scope"] == "all"
    assert web.session[SESSION_KEY]["administration"] == acme_admin.pk


@pytest.mark.parametrize("who", ["dave", "erin"])
def test_only_the_domains_backoffice_or_a_portal_administrator_connects_an_administration(
        web, users, acme_admin, loket_portal, who):
    acme_admin.loket_link.use_portal_access = False
    acme_admin.save()
    acme_admin.loket_link.save()
    web.force_login(users[who])
    assert start_connect(web, acme_admin).status_code in (403, 404)
    assert SESSION_KEY not in web.session


def test_an_administration_using_the_portals_access_is_not_connected_on_its_own(
        web, users, acme_admin, loket_portal):
    web.force_login(users["carol"])
    response = start_connect(web, acme_admin)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:administration", args=[acme_admin.pk]) + "#loket"
    assert SESSION_KEY not in web.session
    page = page_text(web.get(response["Location"]))
    assert nl("%(name)s uses the portal's Loket access. Switch off \"use the portal's Loket access\" to connect "
              "it to another Loket account.") % {"name": "Acme B.V."} in page


def test_without_client_credentials_the_portal_says_what_to_set(web, users, loket_portal, settings):
    settings.LOKET_ENVIRONMENT = "production"
    web.force_login(users["alice"])
    response = start_connect(web)
    assert response["Location"] == reverse("portal:settings") + "#loket"
    page = web.get(response["Location"]).content.decode()
    assert "LOKET_CLIENT_ID" in page
    assert SESSION_KEY not in web.session


def test_the_settings_page_shows_the_button_and_the_redirect_url_to_register(web, users, loket_portal):
    web.force_login(users["alice"])
    page = web.get(reverse("portal:settings")).content.decode()
    assert "Verbind met Loket" in page
    assert "http://testserver/loket/callback/" in page
    assert 'data-testid="loket-not-connected"' in page


def test_a_portal_whose_redirect_url_is_not_registered_gets_no_code(web, users, loket_portal, settings):
    """The portal moved (PORTAL_BASE_URL changed) but its new redirect URL was not registered at Loket."""
    import httpx2

    settings.PORTAL_BASE_URL = "https://portaal.nieuw.example"
    web.force_login(users["alice"])
    started = start_connect(web)
    assert started.status_code == 302
    at_loket = httpx2.get(started["Location"], timeout=5, follow_redirects=False)
    assert at_loket.status_code == 400 and "niet geregistreerd" in at_loket.text


def test_the_sandbox_mounted_in_the_portal_sends_codes_to_the_portals_redirect_url_only(web, users, settings):
    """`make run`: the portal's own redirect URL is the one registered with the mounted sandbox's client."""
    from urllib.parse import quote

    settings.LOKET_ENVIRONMENT = "sandbox"
    settings.LOKET_SANDBOX_URL = ""  # the sandbox mounted under /sandbox/loket
    settings.LOKET_CLIENT_ID = settings.LOKET_CLIENT_SECRET = ""
    settings.PORTAL_BASE_URL = "http://testserver"
    web.force_login(users["alice"])
    at_loket = start_connect(web)["Location"].removeprefix("http://testserver")
    assert at_loket.startswith("/sandbox/loket/oauth/authorize?")
    assert 'name="password"' in web.get(at_loket).content.decode()
    elsewhere = at_loket.replace(quote(portal_redirect_uri(), safe=""), quote("https://evil.example/cb", safe=""))
    assert elsewhere != at_loket
    refused = web.get(elsewhere)
    assert refused.status_code == 400 and "niet geregistreerd" in refused.content.decode()
