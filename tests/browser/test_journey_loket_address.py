"""The local run's two addresses in Chromium: the portal's base URL is http://localhost:<port>, a person
opens http://127.0.0.1:<port> (what `make run` listens on) and connects Loket through the sandbox's own
login pages. They come back where they started, logged in, with Loket connected; and an answer from Loket
that arrives at the other address says what happened."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django.urls import reverse

from portal.models import PortalRole
from sandbox.loket import data as loket_data
from tests.people import make_user
from tests.vendor_state import portal_loket_connection


def log_in_at(journey, origin: str, user) -> None:
    client = Client()
    client.force_login(user)
    journey.page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                       "url": origin}])


def test_loket_connects_at_either_loopback_address(journey, vendors, live_server):
    localhost = live_server.url
    assert urlsplit(localhost).hostname == "localhost", "the portal's base URL names localhost, as make run's does"
    numeric = localhost.replace("localhost", "127.0.0.1")
    alice = make_user("alice", PortalRole.ADMINISTRATOR)
    log_in_at(journey, numeric, alice)
    page = journey.page

    page.goto(numeric + "/settings/")
    page.get_by_role("button", name="Verbind met Loket").click()
    page.get_by_label("Gebruikersnaam").fill(loket_data.DEMO_USERNAME)
    page.get_by_label("Wachtwoord").fill(loket_data.DEMO_PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("button", name="Toestaan").click()
    page.get_by_test_id("loket-authorised").wait_for()
    assert page.url.startswith(numeric + "/"), page.url
    assert portal_loket_connection().is_authorised

    # An answer that arrives at the other address (a bookmark, a pasted link): it says where the attempt
    # started and where it arrived, not "another tab".
    page.goto(numeric + "/settings/")
    page.locator(f"form[action='{reverse('loket:connect')}'] button").click()  # "connect again"
    page.get_by_label("Gebruikersnaam").wait_for()
    state = parse_qs(urlsplit(page.url).query)["state"][0]
    log_in_at(journey, localhost, alice)
    page.goto(f"{localhost}{reverse('loket:callback')}?code=elders&state={state}")
    said = page.locator(".messages").inner_text()
    assert numeric in said and localhost in said and "ander tabblad" not in said, said
