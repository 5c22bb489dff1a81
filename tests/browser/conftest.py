"""Every test that drives Chromium lives in this folder (README "Architecture", tests paragraph).

Journeys in Chromium: the browser is the judge (docs: README "Test it").

`journey` drives Debian's chromium (Playwright's sync API, no browser download) against the live portal.
A journey FAILS when, anywhere along the way,
- the browser logs a console error or a script throws,
- a request fails (4xx/5xx, or a network error) that the test did not declare with `expect_status`,
- a form control is invalid in a way the person cannot see or fix: a `required` control inside a hidden
  section (the browser then refuses to submit without a word), or any control the browser flags on
  submit that the test did not declare with `allow_invalid`.

The checks run after the test body (hook below), so a journey that otherwise passes still fails on them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client

from sandbox.loket import create_app as create_loket
from sandbox.nmbrs import create_app as create_nmbrs
from sandbox.server import SandboxServer
from sandbox.yuki import create_app as create_yuki
from tests.browser.steps import REACHED, reached
from tests.support import CHROMIUM, CHROMIUM_ARGS, chromium_page, point_portal_at_loket

# Runs in every page before its own scripts. Reports, as console errors the journey collects:
# an `invalid` event (the browser refused a submit because of that control), and a required control
# that is not rendered (hidden section): the browser would refuse the submit and the person sees nothing.
_FORM_WATCH = r"""
(() => {
  const rendered = el => !el.closest('[hidden]') && el.getClientRects().length > 0;
  const label = el => el.name || el.id || el.tagName.toLowerCase();
  document.addEventListener('invalid', event => {
    const el = event.target;
    console.error((rendered(el) ? 'journey-invalid: ' : 'journey-invalid-hidden: ') + label(el) +
                  ' (' + el.validationMessage + ')');
  }, true);
  const scan = () => document.querySelectorAll('input[required], select[required], textarea[required]')
    .forEach(el => { if (!el.matches(':disabled') && !rendered(el)) console.error('journey-hidden-required: ' + label(el)); });
  document.addEventListener('DOMContentLoaded', () => setTimeout(scan, 0));
  document.addEventListener('change', () => setTimeout(scan, 0));
  document.addEventListener('htmx:afterSwap', () => setTimeout(scan, 0));
})();
"""


def pytest_sessionfinish(session):
    if (path := os.environ.get("JOURNEY_URL_REPORT")) and REACHED:
        with open(path, "w") as report:
            for route, seen in sorted(REACHED.items()):
                report.write(f"{route}\t{', '.join(sorted(seen))}\n")


@dataclass
class Journey:
    page: object
    base_url: str
    problems: list[str] = field(default_factory=list)
    expected: list[tuple[int, str]] = field(default_factory=list)
    seen_expected: set[tuple[int, str]] = field(default_factory=set)
    allowed_invalid: set[str] = field(default_factory=set)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def login(self, user) -> None:
        """Log in as `user` without the login form (the accountant journey uses the form once)."""
        client = Client()
        client.force_login(user)
        context = self.page.context
        context.clear_cookies()
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": self.base_url}])

    def expect_status(self, status: int, url_part: str) -> None:
        """This test provokes `status` on a URL containing `url_part`: not a failure (but it must happen)."""
        self.expected.append((status, url_part))

    def allow_invalid(self, name: str) -> None:
        """The test types input the browser itself refuses in the control `name` (shown to the person)."""
        self.allowed_invalid.add(name)

    # -- listeners --
    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        if text.startswith("Failed to load resource"):
            return  # the response listener judges these (it knows which ones the test provoked)
        if text.startswith("journey-invalid: ") and text.split()[1] in self.allowed_invalid:
            return
        self.problems.append(f"console error on {self.page.url}: {text}")

    def _on_response(self, response) -> None:
        if response.url.startswith(self.base_url):
            reached(response.url, response.request.method, response.status)
        if response.status < 400:
            return
        matching = [(status, part) for status, part in self.expected
                    if response.status == status and part in response.url]
        if matching:  # the most specific declaration ("/a/2/edit/" rather than "/a/2/")
            self.seen_expected.add(max(matching, key=lambda item: len(item[1])))
            return
        self.problems.append(f"{response.status} for {response.request.method} {response.url}")

    def _on_request_failed(self, request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:  # a navigation cancelled a pending poll: nothing was lost
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({failure})")

    def check(self) -> None:
        try:  # one round trip, so every console message and response the page sent so far has arrived
            self.page.evaluate("0")
        except Exception:  # noqa: BLE001 - a closed page has nothing more to report
            pass
        missing = [f"{status} on {part}" for status, part in self.expected if (status, part) not in self.seen_expected]
        problems = self.problems + [f"declared but never provoked: {m}" for m in missing]
        self.problems, self.expected, self.seen_expected = [], [], set()
        if problems:
            raise AssertionError("the journey saw problems in the browser:\n  " + "\n  ".join(problems))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    journey = item.funcargs.get("journey")
    if isinstance(journey, Journey):
        journey.check()
    return result


@pytest.fixture
def journey(live_server, transactional_db, monkeypatch, settings):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    settings.PORTAL_BASE_URL = live_server.url
    settings.LANGUAGE_CODE = "nl"
    cache.clear()  # login throttling and the like start empty
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
            context.add_init_script(_FORM_WATCH)
            page = context.new_page()
            page.set_default_timeout(20_000)
            run = Journey(page=page, base_url=live_server.url)
            page.on("console", run._on_console)
            page.on("pageerror", lambda error: run.problems.append(f"script error on {page.url}: {error}"))
            page.on("response", run._on_response)
            page.on("requestfailed", run._on_request_failed)
            yield run
        finally:
            browser.close()
            connections.close_all()


@pytest.fixture
def vendors(settings, tmp_path, live_server):
    """Yuki, Loket and Nmbrs sandboxes over real HTTP, wired into the portal's settings (and so into the
    `worker`'s); the live portal's Loket redirect URL registered with the Loket sandbox's client (at both
    loopback names, as make run's)."""
    from django.urls import reverse

    yuki, nmbrs = create_yuki(), create_nmbrs()
    from sandbox.urls import portal_callbacks

    loket = create_loket(redirect_uris=portal_callbacks(live_server.url, reverse("loket:callback")))
    with SandboxServer(yuki) as yuki_server, SandboxServer(loket) as loket_server, \
            SandboxServer(nmbrs) as nmbrs_server:
        yuki_server.app, loket_server.app, nmbrs_server.app = yuki, loket, nmbrs
        settings.YUKI_BASE_URL = yuki_server.url + "/ws/"
        settings.YUKI_WSDL_CACHE_DIR = str(tmp_path / "wsdl")
        point_portal_at_loket(settings, loket_server.url)
        settings.NMBRS_ENVIRONMENT = nmbrs_server.url + "/soap/v3/"
        # The `worker` (tests/conftest.py) takes these over: retries and the automatic check of an
        # uncertain upload come after a second, not minutes, so a journey sees them.
        settings.IMPORT_RECONCILE_DELAY_SECONDS = settings.IMPORT_RETRY_SECONDS = 1
        yield {"yuki": yuki_server, "loket": loket_server, "nmbrs": nmbrs_server}


@pytest.fixture
def page(monkeypatch):
    """A Chromium page (tests.support.chromium_page, Dutch) for tests that drive the browser themselves
    rather than through `journey`; it fails the test on any console error or script error of the page."""
    with chromium_page(monkeypatch) as page:
        errors = []

        def console(message):
            # The browser's own favicon request is no error of this page (the portal serves no favicon).
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
                errors.append(f"{message.text} {message.location.get('url', '')}")

        page.on("console", console)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        assert not errors, f"console errors: {errors}"


@pytest.fixture
def english_browser(monkeypatch):
    """A Chromium page whose browser asks for English (en-US): a Dutch page proves the portal ignores
    Accept-Language."""
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    cache.clear()  # login throttling counts live in the cache
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()
    cache.clear()


@pytest.fixture
def page_as(monkeypatch, live_server):
    """page_as(user) -> a Playwright page logged in as `user` (the session cookie of a forced login), or
    nobody's for None; the accessibility tests (axe-core, tests/browser/axe.py) open one per person."""
    from django.conf import settings as django_settings

    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def open_page(user):
            context = browser.new_context(locale="nl-NL", base_url=live_server.url)
            if user is not None:
                client = Client()
                client.force_login(user)
                context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                                      "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                                      "url": live_server.url}])
            page = context.new_page()
            page.set_default_timeout(15_000)
            return page

        try:
            yield open_page
        finally:
            browser.close()
