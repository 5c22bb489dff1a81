"""A domain's backoffice in Chromium: changes its own domain's administrations and their overrides; every
page, form and action of another domain is refused (and its controls are not shown)."""

from __future__ import annotations

from portal.models import Administration, EntryState, Notice
from tests.browser.steps import post_form, refused_page, seed_two_domains_with_documents
from tests.people import assign, make_user


def test_domain_backoffice_changes_its_own_domain_only(journey, vendors):
    made = seed_two_domains_with_documents()
    own, other = made["Bakkerij De Korenschoof"], made["Installatiebedrijf Van Dijk"]
    dave = make_user("dave", domains=[own["administration"].domain])
    journey.login(dave)
    page = journey.page

    # The dashboard shows the own domain only; no portal-wide menu items.
    journey.goto("/")
    main = page.locator("main").inner_text()
    assert "Bakkerij De Korenschoof" in main and "Van Dijk" not in main
    for item in ("Instellingen", "Gebruikers", "Auditlog"):
        assert page.locator("header nav").get_by_role("link", name=item).count() == 0

    # Its own administration: the overrides (own import window, own relatiecode) saved and read back. On the
    # portal's shared Loket access the relatiecode is one of the employers a portal administrator assigned to
    # the domain: dave picks it from that list.
    administration = own["administration"]
    moved = assign(administration.domain, "loket", "40199", administration.wage_tax_number, "Korenschoof Filiaal")
    journey.goto(f"/administrations/{administration.pk}/")
    page.get_by_role("link", name="Bewerken").click()
    page.locator("#id_use_portal_import_settings").uncheck()
    page.fill("#id_own-first_day", "5")
    page.fill("#id_own-last_day", "9")
    assert page.get_by_test_id("window-advice").is_visible(), "the advice shows before saving"
    page.fill("#id_own-last_day", "25")
    assert page.locator("#id_use_portal_loket_access").is_checked()
    page.select_option("#id_shared_employer", str(moved.pk))
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"**/administrations/{administration.pk}/")
    page.reload()
    assert "eigen instellingen" in page.locator("main").inner_text().lower()
    administration.refresh_from_db()
    assert administration.relation_code == "40199"
    assert (administration.own_import_settings.first_day, administration.own_import_settings.last_day) == (5, 25)

    # Its own notices can be dismissed, its own documents answered.
    journey.goto("/")
    page.get_by_test_id("notice").get_by_role("button", name="Wegklikken").click()
    assert not Notice.objects.filter(pk=own["notice"].pk, resolved_at__isnull=True).exists()
    journey.goto(f"/documents/{own['check'].pk}/")
    assert page.get_by_role("button", name="Het staat in Yuki").is_visible()
    assert page.get_by_test_id("resend").count() == 0, "an uncertain document is answered, not resent"

    # Another domain: every page of its objects answers as a missing one (404: no probing which exist) ...
    theirs = other["administration"]
    for path in (f"/domains/{theirs.domain_id}/", f"/administrations/{theirs.pk}/",
                 f"/administrations/{theirs.pk}/edit/", f"/domains/{theirs.domain_id}/administrations/new/",
                 f"/runs/{other['run'].pk}/", f"/documents/{other['failed'].pk}/",
                 f"/documents/{other['check'].pk}/", f"/nmbrs/domains/{theirs.domain_id}/link-by-number/"):
        refused_page(journey, path, 404)
        assert "Van Dijk" not in page.locator("body").inner_text()
    # ... and the portal's own pages are refused (403).
    for path in ("/settings/", "/users/", "/users/new/", "/audit/", "/domains/new/",
                 f"/domains/{theirs.domain_id}/edit/"):
        refused_page(journey, path)
    # ... and not listed where the own domain is.
    for path in ("/runs/", "/checks/"):
        journey.goto(path)
        assert "Van Dijk" not in page.locator("main").inner_text()
    # ... and every action refused by the server, whatever the browser sends.
    for path, data in ((f"/administrations/{theirs.pk}/edit/", {"name": "Overgenomen"}),
                       (f"/administrations/{theirs.pk}/import/", {}),
                       (f"/administrations/{theirs.pk}/retry/", {}),
                       (f"/domains/{theirs.domain_id}/import/", {"administration": theirs.pk}),
                       (f"/domains/{theirs.domain_id}/administrations/new/", {"name": "Nieuw"}),
                       (f"/documents/{other['check'].pk}/answer/", {"answer": "in_yuki"}),
                       (f"/documents/{other['failed'].pk}/resend/", {}),
                       (f"/notices/{other['notice'].pk}/dismiss/", {}),
                       ("/settings/", {"section": "import", "import-first_day": "1", "import-last_day": "2"})):
        assert post_form(journey, path, data).status == (403 if path == "/settings/" else 404), path
    theirs.refresh_from_db()
    assert theirs.name == "Installatiebedrijf Van Dijk B.V." and not theirs.runs.exclude(pk=other["run"].pk).exists()
    other["check"].refresh_from_db()
    other["failed"].refresh_from_db()
    assert (other["check"].state, other["failed"].state) == (EntryState.NEEDS_CHECK, EntryState.FAILED)
    assert Notice.objects.filter(pk=other["notice"].pk, resolved_at__isnull=True).exists()
    assert Administration.objects.filter(domain=theirs.domain).count() == 1
