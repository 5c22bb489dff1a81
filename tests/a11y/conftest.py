"""Accessibility tests: axe-core (shipped inside the axe-playwright-python package, never fetched at run
time) in Debian's Chromium through Playwright, on every page of a portal full of realistic data
(tests/i18n/realistic.py)."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.engine.conftest import _servers, eager_celery, nmbrs, yuki  # noqa: F401 - fixtures
from tests.i18n.conftest import loket, realistic_portal  # noqa: F401 - fixtures
from tests.support import CHROMIUM_ARGS
from tests.test_list_pages import nmbrs_companies  # noqa: F401 - fixture (the Nmbrs sandbox's companies)


@pytest.fixture
def browser(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page_as(browser, live_server):
    """page_as(user) -> a Playwright page logged in as `user` (the session cookie of a forced login)."""
    contexts = []

    def open_page(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(locale="nl-NL", base_url=live_server.url)
        context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                              "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
