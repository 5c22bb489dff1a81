"""The portal backoffice in Chromium: sees every domain, administration, run and document, and changes
nothing there: every change control is absent and every change action is refused by the server.

'Portaal backoffice' may set up the portal's Loket link (docs/vendors/loket.md, "Authorisation (OAuth)"), so that page is
theirs; users, domains and the audit log are not.
"""

from __future__ import annotations

from portal.models import Administration, EntryState, Notice, PortalRole
from tests.browser.steps import post_form, refused_page, seed_two_domains_with_documents
from tests.people import make_user


def test_portal_backoffice_sees_everything_and_changes_nothing(journey, vendors):
    made = seed_two_domains_with_documents()
    journey.login(make_user("bob", PortalRole.BACKOFFICE))
    page = journey.page

    journey.goto("/")
    main = page.locator("main").inner_text()
    assert "Bakkerij De Korenschoof" in main and "Installatiebedrijf Van Dijk" in main
    assert page.get_by_role("link", name="Domein toevoegen").count() == 0
    assert page.get_by_test_id("notice").count() == 2
    assert page.get_by_role("button", name="Wegklikken").count() == 0
    for item in ("Gebruikers", "Auditlog"):
        assert page.locator("header nav").get_by_role("link", name=item).count() == 0

    for data in made.values():
        administration, run = data["administration"], data["run"]
        journey.goto(f"/domains/{administration.domain_id}/")
        assert administration.name in page.locator("main").inner_text()
        assert page.locator('input[name="administration"]').count() == 0
        assert page.get_by_role("button", name="Geselecteerde administraties nu importeren").count() == 0
        assert page.get_by_role("link", name="Bewerken").count() == 0
        assert page.get_by_role("link", name="Administratie toevoegen").count() == 0

        journey.goto(f"/administrations/{administration.pk}/")
        assert page.get_by_role("link", name="Bewerken").count() == 0
        assert page.get_by_test_id("import-now").count() == 0
        assert page.get_by_role("button", name="Verbind met Loket").count() == 0
        assert page.get_by_role("button", name="opnieuw proberen").count() == 0

        assert data["failed"].title in page.locator("#documents").inner_text()
        journey.goto(f"/runs/{run.pk}/")
        assert page.get_by_test_id("run-status").inner_text() == "Deels mislukt"
        journey.goto(f"/documents/{data['check'].pk}/")
        assert page.get_by_role("button", name="Het staat in Yuki").count() == 0
        journey.goto(f"/documents/{data['failed'].pk}/")
        assert page.get_by_test_id("resend").count() == 0
        journey.goto("/checks/")
        assert data["check"].title in page.locator("main").inner_text()

        for path in (f"/administrations/{administration.pk}/edit/",
                     f"/domains/{administration.domain_id}/administrations/new/",
                     f"/domains/{administration.domain_id}/edit/"):
            refused_page(journey, path)
        for path, body in ((f"/administrations/{administration.pk}/edit/", {"name": "Anders"}),
                           (f"/administrations/{administration.pk}/import/", {}),
                           (f"/administrations/{administration.pk}/retry/", {}),
                           (f"/domains/{administration.domain_id}/import/", {"administration": administration.pk}),
                           (f"/documents/{data['check'].pk}/answer/", {"answer": "in_yuki"}),
                           (f"/documents/{data['failed'].pk}/resend/", {}),
                           (f"/notices/{data['notice'].pk}/dismiss/", {})):
            assert post_form(journey, path, body).status == 403, path
        assert administration.runs.count() == 1
        data["check"].refresh_from_db()
        data["failed"].refresh_from_db()
        assert (data["check"].state, data["failed"].state) == (EntryState.NEEDS_CHECK, EntryState.FAILED)

    for path in ("/users/", "/users/new/", "/audit/", "/domains/new/"):
        refused_page(journey, path)
    assert post_form(journey, "/domains/new/", {"name": "X", "yuki_domain_id": "x"}).status == 403
    assert Notice.objects.filter(resolved_at__isnull=True).count() == 2
    assert Administration.objects.filter(name="Anders").count() == 0

    # The portal settings are theirs (docs/vendors/loket.md, "Authorisation (OAuth)"): the Loket link can be set up from here.
    journey.goto("/settings/")
    assert page.get_by_role("button", name="Verbind met Loket").is_visible()
