"""No dead ends in Chromium: an address that only takes a button's POST, opened directly, shows the
portal's own page with a way back; the sandboxes' pages name their icon, so the browser asks for no
favicon.ico that is not there."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.urls import reverse

from portal.models import Administration, PortalRole
from sandbox.demo import seed_demo_data
from sandbox.loket import data as loket_data
from tests.people import PASSWORD, make_user


def test_a_button_only_address_opened_directly_has_a_way_back(journey, vendors):
    seed_demo_data()
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page
    administration = Administration.objects.filter(source="loket").first()
    page_of_the_administration = journey.url(reverse("portal:administration", args=[administration.pk]))
    import_address = journey.url(reverse("portal:import-now", args=[administration.pk]))

    journey.expect_status(405, "/import/")
    response = page.goto(import_address, referer=page_of_the_administration)  # a reload after the import started
    assert response.status == 405 and "POST" in response.headers["allow"]
    assert page.get_by_role("banner").count() == 1, "the portal's own page, with its header"
    shown = page.get_by_test_id("method-not-allowed").inner_text()
    assert "knop" in shown, shown
    page.get_by_role("link", name="Terug naar de vorige pagina").click()
    page.wait_for_url(page_of_the_administration)

    journey.expect_status(405, "/logout/")
    page.goto(journey.url(reverse("logout")))  # typed, no page before it: the overview is the way back
    page.get_by_test_id("method-not-allowed").get_by_role("link", name="Naar het overzicht").click()
    page.wait_for_url(journey.url("/"))


def test_sandbox_pages_name_their_icon(journey, vendors):
    page = journey.page
    for address in (vendors["yuki"].url + "/", vendors["nmbrs"].url + "/soap/v3/CompanyService.asmx",
                    vendors["loket"].url + "/oauth/authorize?client_id=" + loket_data.CLIENT_ID
                    + "&redirect_uri=" + quote(journey.url(reverse("loket:callback")), safe="")
                    + "&response_type=code&scope=all&state=s"):
        page.goto(address)
        icon = page.evaluate("document.querySelector('link[rel~=icon]')?.getAttribute('href') ?? ''")
        assert icon.startswith("data:"), f"{address} names no icon of its own: the browser asks /favicon.ico"


def test_a_form_sent_after_its_token_expired_says_so_and_leads_back(journey):
    """A login form left open while the browser lost its cookies (or opened in another tab before logging
    in elsewhere): the portal's own Dutch page says nothing was changed and leads back to the form."""
    make_user("carla", PortalRole.BACKOFFICE)
    page = journey.page
    journey.expect_status(403, "/login/")
    journey.goto("/login/")
    page.context.clear_cookies()  # the CSRF cookie the form's token belongs to is gone
    page.fill("input[name=username]", "carla")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()

    expired = page.get_by_test_id("form-expired")
    assert page.get_by_role("banner").count() == 1, "the portal's own page, with its header"
    text = expired.inner_text()
    assert "verlopen" in text and "Er is niets gewijzigd" in text, text
    assert not re.search(r"\b(u|uw)\b", text, re.IGNORECASE), "the portal says 'je', Django's page said 'u'"
    expired.get_by_role("link", name="Open de pagina opnieuw").click()
    page.wait_for_url(journey.url("/login/"))
    page.fill("input[name=username]", "carla")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(journey.url("/"))
    assert page.get_by_text("carla").first.is_visible()
