"""Every page passes axe-core with no serious or critical violation: as the portal administrator (every
page of the URLconf, tests/i18n/pages.py), as a domain's backoffice (the pages of that domain), and
anonymously (login, password reset); forms are also checked showing their errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import ImportRun, LedgerEntry
from tests.browser.axe import blocking, violations
from tests.i18n.pages import pages

pytestmark = pytest.mark.browser

ANONYMOUS = ("/login/",)


def check(page, url: str, found: dict, every: dict | None = None, *, visit: bool = True) -> None:
    if visit:
        response = page.goto(url)
        assert response.status < 400, f"{url}: {response.status}"
    page.wait_for_load_state("networkidle")
    seen = violations(page)
    if every is not None:
        every[url] = seen
    if bad := blocking(seen):
        found[url] = bad


def report(found: dict) -> str:
    return "\n".join(f"{url}:\n  " + "\n  ".join(map(str, bad)) for url, bad in found.items())


def tally(every: dict) -> str:
    """For the record (pytest -s): how many violations of each impact, over how many pages."""
    counts: dict[str, int] = {}
    rules: dict[str, int] = {}
    for seen in every.values():
        for violation in seen:
            counts[violation.impact] = counts.get(violation.impact, 0) + len(violation.targets)
            key = f"{violation.rule} ({violation.impact})"
            rules[key] = rules.get(key, 0) + len(violation.targets)
    return f"axe-core: {len(every)} pages, elements in violation by impact: {counts or 'none'}; by rule: {rules}"


@pytest.mark.django_db(transaction=True)
def test_every_page_as_the_portal_administrator(realistic_portal, page_as, live_server):
    portal = realistic_portal
    page, anonymous = page_as(portal.admin), page_as(None)
    found: dict = {}
    every: dict = {}
    urls = sorted({url for addresses in pages(portal).values() for url, _data in addresses})
    for url in urls:
        check(anonymous if url.startswith(ANONYMOUS) else page, url, found, every)
    # Forms showing their errors: a user with a too short password, a window the wrong way round.
    page.goto(reverse("portal:user-create"))
    page.get_by_label("Gebruikersnaam").fill("gina")
    page.locator("#id_password").fill("kort")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".error").count() > 0, "the form shows its error"
    check(page, "user form with errors", found, every, visit=False)
    # The petty cash page refusing a line, then previewing one.
    page.goto(reverse("portal:petty-cash", args=[portal.korenschoof.pk]))
    line = page.locator("[data-testid=petty-cash-line]")
    line.get_by_label("Datum").fill("2026-11-02")
    line.get_by_label("Omschrijving").fill("Koffie")
    line.get_by_label("Bedrag").fill("1.234,50")
    line.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".error").count() > 0, "the line form shows its error"
    check(page, "petty cash line with errors", found, every, visit=False)
    line = page.locator("[data-testid=petty-cash-line]")
    line.get_by_label("Bedrag").fill("-12,50")
    line.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("petty-cash-preview").is_visible()
    check(page, "petty cash preview", found, every, visit=False)
    anonymous.goto(reverse("login"))
    anonymous.fill("#id_username", "alice")
    anonymous.fill("#id_password", "wrong")
    anonymous.locator("main button[type=submit]").click()
    check(anonymous, "login with an error", found, every, visit=False)
    print(tally(every))
    assert not found, report(found)


@pytest.mark.django_db(transaction=True)
def test_the_pages_of_a_domain_backoffice_user(realistic_portal, page_as):
    portal = realistic_portal
    page = page_as(portal.domain_user)
    domain = portal.korenschoof.domain
    administrations = list(domain.administrations.all())
    urls = [reverse("portal:dashboard"), reverse("portal:profile"), reverse("portal:runs"),
            reverse("portal:needs-check"), reverse("portal:annual-documents"), reverse("password_change"),
            reverse("portal:domain", args=[domain.pk]), reverse("portal:domain-completeness", args=[domain.pk]),
            reverse("portal:administration-create", args=[domain.pk]),
            reverse("nmbrs:link-by-number", args=[domain.pk])]
    for administration in administrations:
        urls += [reverse("portal:administration", args=[administration.pk]),
                 reverse("portal:administration-edit", args=[administration.pk]),
                 reverse("portal:completeness", args=[administration.pk]),
                 reverse("portal:petty-cash", args=[administration.pk])]
    urls += [reverse("portal:run", args=[run.pk]) for run in ImportRun.objects.filter(administration__domain=domain)]
    urls += [reverse("portal:document", args=[entry.pk])
             for entry in LedgerEntry.objects.filter(administration__domain=domain)[:3]]
    found: dict = {}
    every: dict = {}
    for url in urls:
        check(page, url, found, every)
    print(tally(every))
    assert not found, report(found)
