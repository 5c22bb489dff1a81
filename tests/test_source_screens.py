"""Screens that list the payroll sources ask the registry: the sandbox banner names the sources the sandbox
simulates, the annual documents page the sources that offer them; a source without either is not named."""

import pytest
from django.urls import reverse

from portal.models import PortalRole
from portal.sources import registry
from tests.people import make_user


@pytest.fixture
def alice(client, db):
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    return client


@pytest.fixture
def paperclip():
    registry.register("paperclip", "tests.engine.third_source.source.PaperclipPayrollSource")
    yield
    registry.unregister("paperclip")


def banner(client) -> str:
    page = client.get(reverse("portal:dashboard")).content.decode()
    return page.split('class="sandbox-banner"', 1)[1].split(">", 1)[1].split("</aside>", 1)[0]


def test_the_sandbox_banner_names_the_simulated_sources(alice, settings, paperclip):
    settings.SANDBOX_ENABLED = True
    assert banner(alice) == ("Sandboxmodus: Loket, Nmbrs, Nmbrs (REST) en Yuki worden gesimuleerd. Er wordt niets in een echte "
                             "administratie geboekt."), "the test-only source has no simulator: not named"
    settings.SANDBOX_ENABLED = False
    assert 'class="sandbox-banner"' not in alice.get(reverse("portal:dashboard")).content.decode()


def test_the_annual_documents_page_names_the_sources_offering_them(alice, paperclip):
    page = alice.get(reverse("portal:annual-documents")).content.decode()
    assert "<h1>Jaarwerk uit Nmbrs en Nmbrs (REST)</h1>" in page and "Paperclip" not in page
    assert page.count("<table>") == 1 and "<th>Nmbrs-bedrijf</th>" in page
