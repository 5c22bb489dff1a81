"""With the Content-Security-Policy on, the pages still work in a real browser: no CSP violation or
script error on any page, htmx still polls a running import, and choosing English on the profile still switches."""

import pytest
from django.db import connections

from tests.people import PASSWORD
from tests.support import pass_second_step
from tests.test_url_matrix import MATRIX
from tests.url_inventory import ADMIN, ROLES, make_world

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_no_csp_violation_and_htmx_and_the_language_switch_work(live_server, page, users, acme, bakkerij,
                                                                 acme_admin, bakkerij_admin):
    world = make_world(users, acme, bakkerij, acme_admin, bakkerij_admin)
    world.run.status = "running"
    world.run.save()
    connections.close_all()
    problems = []
    # A failed load is reported by its response below (the console message does not name the URL).
    page.on("console", lambda message: message.type == "error" and not message.text.startswith(
        "Failed to load resource") and problems.append(f"{page.url}: {message.text}"))
    page.on("response", lambda response: response.status >= 400 and not response.url.endswith("/favicon.ico")
            and problems.append(f"{response.url}: {response.status}"))
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")
    base = live_server.url

    page.goto(f"{base}/login/")
    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_step(page, "alice")
    page.wait_for_url(f"{base}/")

    visited = 0
    for name, (get_expectation, _post) in MATRIX.items():
        # Not pages: the vendors' own screens, the admin site, the OAuth return, and the downloads
        # (a CSV or PDF export starts a download, not a page; its headers are tested in test_completeness).
        if get_expectation[ROLES.index("alice")] == "ok" and name not in (
                "sandbox", ADMIN, "login", "loket:callback", "portal:completeness-export",
                "portal:domain-completeness-export"):
            page.goto(base + world.url(name))
            page.wait_for_load_state("load")
            visited += 1
    assert visited >= 20

    # htmx: the page of a running import asks for its progress every 2 s.
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true", timeout=10_000):
        page.goto(base + world.url("portal:run"))
    # The language choice on the own profile page (a form, no inline handler); the next page is English.
    page.goto(base + world.url("portal:dashboard"))
    page.get_by_test_id("profile-link").click()
    page.get_by_label("Taal van het portaal").select_option("en")
    page.get_by_role("button", name="Bewaren").click()
    page.get_by_text("Your profile is saved.").wait_for()
    page.get_by_role("link", name="Run log").wait_for()

    assert not problems, "\n".join(problems)
    connections.close_all()
