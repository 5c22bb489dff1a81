"""Browser fixtures for the language tests: Debian's Chromium through Playwright, with a browser that
asks for English (en-US), so a Dutch page proves the portal ignores Accept-Language."""

import pytest
from django.core.cache import cache

from tests.support import CHROMIUM_ARGS


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
