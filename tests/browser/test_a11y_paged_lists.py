"""The paged lists with their pagers showing (several pages of everything): no axe-core violation at all,
on the first page and a later one, for a portal administrator and a domain's backoffice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import Domain, PortalRole
from tests.browser.axe import violations
from tests.people import make_user
from tests.test_list_pages import (
    assign_companies,
    busy_document,
    busy_dry_run,
    busy_run,
    grow,
    nmbrs_administration,
    sandbox_companies,
)

pytestmark = pytest.mark.browser

PAGED = ["/", "/?page=2", "/checks/?page=2&automatic_page=2", "/runs/?status=failed&page=2",
         "/annual-documents/?page=2"]
ADMIN_ONLY = ["/users/?page=2", "/audit/?page=2"]


@pytest.mark.django_db(transaction=True)
def test_paged_lists_have_no_violations(page_as, live_server, nmbrs_companies):
    acme = Domain.objects.create(name="Acme", yuki_domain_id="dom-acme", payroll_link_active=True)
    grow(acme, domains=12, administrations=200, runs=130, entries=240, users=60)
    grow(acme, domains=0, administrations=60, runs=130, entries=240, users=0, busy=60)  # carol sees these
    admin, carol = make_user("alice", PortalRole.ADMINISTRATOR), make_user("carol", domains=[acme])
    nmbrs_companies.extend(sandbox_companies(0, 120))
    assign_companies(acme, nmbrs_companies)
    # A run's documents, a document's history, a dry run's preview, the Nmbrs companies of an
    # administration (all also carol's), a domain's assigned employers.
    acme_pages = [f"/domains/{acme.pk}/?page=2", f"/runs/{busy_run(acme).pk}/?page=2",
                  f"/documents/{busy_document(acme).pk}/?page=2", f"/runs/{busy_dry_run(acme).pk}/?preview_page=2",
                  reverse("nmbrs:companies", args=[nmbrs_administration(acme).pk]) + "?page=2"]
    found = {}
    for user, urls in ((admin, PAGED + ADMIN_ONLY + acme_pages + [f"/domains/{acme.pk}/employers/?page=2"]),
                       (carol, PAGED + acme_pages)):
        page = page_as(user)
        for url in urls:
            response = page.goto(url)
            assert response.status < 400, url
            page.wait_for_load_state("networkidle")
            # Carol's one domain needs no pager on the dashboard, nor her few Nmbrs administrations.
            paged = user == admin or not url.startswith(("/?", "/annual-documents/")) and url != "/"
            assert page.locator('[data-testid="pager"]').count() >= paged, url
            if seen := violations(page):
                found[f"{user.username} {url}"] = seen
    assert not found, found
