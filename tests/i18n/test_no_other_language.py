"""Every page of the URLconf and every e-mail, in Dutch and in English, with realistic data (runs that
booked and failed, annual documents, a document to check, notices, audit entries): no word of the
other language. Stored run results are written in the portal's language and marked as such (`lang`),
so the English pages may quote them; the Dutch pages may not contain English anywhere. Dutch speaks to
a person as "je": a "u" or "uw" on a Dutch page or in a Dutch e-mail fails too (the catalogue's own test
cannot see a text that does not come from it)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from integrations.nmbrs.models import NmbrsLink
from portal.languages import choose_language
from portal.models import Administration, AssignedEmployer, Domain, LedgerEntry
from sandbox.nmbrs import data as nmbrs_data
from tests.i18n.language_check import foreign_words, formal_address, visible_text
from tests.i18n.pages import NOT_PAGES, pages, url_names


def data_names() -> list[str]:
    """Names the data gives (companies, people, documents): in neither language, or in both."""
    names = [*Domain.objects.values_list("name", flat=True), *Administration.objects.values_list("name", flat=True),
             *NmbrsLink.objects.values_list("company_name", flat=True),
             *LedgerEntry.objects.values_list("title", flat=True),
             *LedgerEntry.objects.values_list("file_name", flat=True),
             *get_user_model().objects.values_list("username", flat=True),
             *AssignedEmployer.objects.values_list("name", flat=True),
             *(company.name for company in nmbrs_data.COMPANIES)]
    return [n for n in names if n]


def anonymous(url: str) -> bool:
    return url == reverse("login")


def read(web: Client, url: str, data) -> str:
    client = Client() if anonymous(url) else web
    response = client.post(url, data, follow=True) if data is not None else client.get(url, follow=True)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def unwelcome(text: str, language: str, names) -> list[str]:
    """Words of the other language; in Dutch also the formal "u"/"uw"."""
    return foreign_words(text, language, names) + (formal_address(text, names) if language == "nl" else [])


def read_progress(web: Client, run) -> str:
    return web.get(reverse("portal:run", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_page_and_no_email_speaks_the_other_language(realistic_portal, language):
    portal = realistic_portal
    choose_language(portal.admin, language)
    web = Client()
    web.force_login(portal.admin)
    table = pages(portal)
    assert set(table) | set(NOT_PAGES) == url_names(), "every URL of the URLconf is read here or said not to be a page"
    names = data_names()
    leaks = {}
    for name, addresses in table.items():
        for url, data in addresses:
            html = read(web, url, data)
            expected = settings.LANGUAGE_CODE if anonymous(url) else language  # no person: Dutch
            assert re.search(rf'<html lang="{expected}"', html), f"{url} is not marked as {expected}"
            found = unwelcome(visible_text(html, expected), expected, names)
            if found:
                leaks[f"{name} {url}{' (POST)' if data is not None else ''}"] = found
    for run in (portal.booked_run, portal.failed_run):
        found = unwelcome(visible_text(read_progress(web, run), language), language, names)
        if found:
            leaks[f"run progress {run.pk}"] = found
    assert not leaks, "\n".join(f"{where}: {words[:6]}" for where, words in leaks.items())


def test_the_emails_are_dutch(realistic_portal):
    assert realistic_portal.emails, "the failed import told someone"
    names = data_names()
    leaks = [(m.subject, unwelcome(f"{m.subject}\n{m.body}", "nl", names)) for m in realistic_portal.emails]
    assert not [leak for leak in leaks if leak[1]], leaks
