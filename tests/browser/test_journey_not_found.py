"""The portal's own 404 page in Chromium, with DEBUG on (as `make run`, portal/middleware.py NotFoundPage) and
off: a domain's backoffice user who opens an address the portal does not have, or an administration of another
domain (which answers exactly as a missing one), reads the Dutch page and continues from the overview."""

from __future__ import annotations

import pytest

from portal.models import Administration, Domain
from sandbox.demo import seed_demo_data
from sandbox.yuki import data as yuki_data
from tests.people import make_user


@pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])
def test_a_missing_page_is_the_portals_dutch_page_leading_to_the_overview(journey, settings, debug):
    settings.DEBUG = debug
    seed_demo_data()
    van_dijk = Domain.objects.get(yuki_domain_id=yuki_data.OTHER_DOMAIN_ID)
    theirs = Administration.objects.get(yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID)
    assert theirs.domain != van_dijk
    journey.login(make_user("dave", domains=[van_dijk]))
    page = journey.page

    for path in ("/geen-pagina/", f"/administrations/{theirs.pk}/"):
        journey.expect_status(404, path)
        response = journey.goto(path)
        assert response.status == 404, f"{path} answered {response.status}"
        not_found = page.get_by_test_id("not-found")
        assert not_found.get_by_role("heading").inner_text() == "Deze pagina bestaat niet", path
        assert "Controleer het adres, of ga verder vanaf het overzicht." in not_found.inner_text()
        assert page.title().startswith("Deze pagina bestaat niet")
        main = page.locator("body").inner_text()
        for english in ("Page not found", "Not Found", "Using the URLconf", "No Administration matches"):
            assert english not in main, (path, english)
        assert theirs.name not in main, "nothing of the other domain's administration"
        # The portal's own frame: the person is still logged in and can go on.
        assert page.get_by_test_id("profile-link").is_visible()

        with page.expect_navigation():
            not_found.get_by_role("link", name="Naar het overzicht").click()
        assert page.url == journey.url("/"), page.url
        main = page.locator("main").inner_text()
        assert van_dijk.name in main and theirs.domain.name not in main, main[:300]
