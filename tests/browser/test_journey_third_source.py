"""The administration form in the browser for a source it has never heard of: the test-only third source
(tests/engine/third_source/) brings its field and its own card through the registry alone, and the page's
script (driven by data-source/data-sources, no source names) shows them only while it is chosen."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.models import Administration, Domain, PortalRole
from portal.sources import registry
from sandbox import registry as sandbox_registry
from tests.browser.steps import yuki_knows
from tests.engine.third_source import vendor
from tests.people import make_user


@pytest.fixture
def paperclip(settings):
    registry.register(vendor.SOURCE, "tests.engine.third_source.source.PaperclipPayrollSource")
    vendor.OFFICE.desks = {}
    # Its folder is no app of this test run (source_apps() is read at start-up): its templates are added here.
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], Path(vendor.__file__).parent / "templates"]},
                          *settings.TEMPLATES[1:]]
    yield
    registry.unregister(vendor.SOURCE)


def visible(page, selector: str) -> bool:
    return page.locator(selector).is_visible()


def test_a_third_source_brings_its_card_to_the_administration_form(journey, paperclip):
    domain = Domain.objects.create(name="Paperclip Groep", yuki_domain_id="dom-paperclip", payroll_link_active=True)
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page
    yuki_knows(sandbox_registry.get("yuki"), domain.yuki_domain_id, "5f0c9a52-1b9e-4c61-9d0e-2a7b3c4d0abc",
               "sleutel-pc", "Kantoor Paperclip B.V.")  # the portal's own sandbox mount answers for Yuki here
    journey.goto(f"/domains/{domain.pk}/administrations/new/")
    page.fill("#id_name", "Kantoor Paperclip B.V.")
    page.fill("#id_yuki_administration_id", "5f0c9a52-1b9e-4c61-9d0e-2a7b3c4d0abc")
    page.fill("#id_yuki_access_key", "sleutel-pc")

    page.select_option("#id_source", "paperclip")
    assert page.get_by_test_id("paperclip-desk").is_visible()
    assert visible(page, '[data-field="paperclip_employer_code"]'), "its employer code"
    assert not visible(page, '[data-field="relation_code"]'), "not Yuki's Relatiecode: its own field"
    assert not visible(page, '[data-field="wage_tax_number"]') and not page.get_by_test_id("nmbrs-direction").is_visible()
    page.select_option("#id_source", "loket")
    assert not page.get_by_test_id("paperclip-desk").is_visible() and visible(page, '[data-field="wage_tax_number"]')
    page.select_option("#id_source", "paperclip")

    page.fill("#id_paperclip_employer_code", "PC-9")
    page.fill("#id_paperclip-desk", "12")
    page.get_by_role("button", name="Bewaren").click()
    assert "D-&lt;number&gt;" in page.content() or "D-<number>" in page.get_by_test_id("paperclip-desk").inner_text()
    assert Administration.objects.count() == 0 and vendor.OFFICE.desks == {}

    page.fill("#id_paperclip-desk", "d-7")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url("**/administrations/*/")
    assert "is bewaard" in page.locator(".messages").inner_text()
    created = Administration.objects.get()
    assert (created.source, created.paperclip_link.employer_code) == ("paperclip", "PC-9")
    assert vendor.OFFICE.desks == {"Kantoor Paperclip B.V.": "D-7"}

    journey.goto(f"/administrations/{created.pk}/edit/")
    page.reload()
    assert page.locator("#id_source").input_value() == "paperclip"
    assert page.locator("#id_paperclip_employer_code").input_value() == "PC-9", "read back from its own model"
    assert page.get_by_test_id("paperclip-desk").is_visible() and page.locator("#id_paperclip-desk").input_value() == "D-7"
