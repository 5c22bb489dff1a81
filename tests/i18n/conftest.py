"""Fixtures for the language tests: a portal full of realistic data (tests/i18n/realistic.py), made
by the engine against the sandboxes, and Debian's Chromium through Playwright with a browser that asks
for English (en-US), so a Dutch page proves the portal ignores Accept-Language."""

import pytest
from django.core.cache import cache

from sandbox.loket import create_app as create_loket
from sandbox.server import SandboxServer
from tests.engine.conftest import _servers, eager_celery, nmbrs, yuki  # noqa: F401 - fixtures
from tests.support import CHROMIUM_ARGS


@pytest.fixture
def loket(settings):
    from integrations.loket.access import redirect_uri

    app = create_loket(redirect_uris=[redirect_uri()])
    with SandboxServer(app) as server:
        server.app = app
        settings.LOKET_ENVIRONMENT = "sandbox"
        settings.LOKET_SANDBOX_URL = server.url
        settings.LOKET_CLIENT_ID = settings.LOKET_CLIENT_SECRET = ""
        yield server


@pytest.fixture
def realistic_portal(transactional_db, yuki, nmbrs, loket, eager_celery, settings):  # noqa: F811
    from django.utils import translation

    from tests.i18n import realistic

    cache.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with translation.override(settings.LANGUAGE_CODE):  # as a worker: no person, the portal's language
        portal = realistic.build()
    yield portal
    cache.clear()


@pytest.fixture
def english_browser(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    cache.clear()  # login throttling counts live in the cache
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()
    cache.clear()
