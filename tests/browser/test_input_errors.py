"""Bad input in the browser: the administration form names each mistake in Dutch at its field and saves once
they are fixed; a bulk import with a month before the retention period says so instead of failing."""

import pytest
import time_machine
from django.db import connections

from portal.models import Administration, ImportRun
from tests.people import PASSWORD, assign

pytestmark = pytest.mark.browser


def field_error(page, name):
    return page.locator(f'[data-field="{name}"] .error').inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_administration_form_explains_each_mistake(live_server, page, users, acme, acme_admin):
    # carol is on the portal's shared Loket access: the numbers she types must be an employer assigned to Acme.
    assign(acme, "loket", "40123", "812345678L01", "Acme Twee B.V.")
    connections.close_all()
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Gebruikersnaam").fill("carol")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/domains/{acme.pk}/administrations/new/")
    # The server's messages are under test, not the browser's own check (which today also stops at the
    # hidden required fields of the own import settings, a form fault handled on its own).
    page.evaluate("document.querySelector('form.administration-form').noValidate = true")
    page.fill("#id_name", "acme b.v.")  # Acme B.V. exists in this domain
    page.fill("#id_yuki_administration_id", "adm-1")
    page.fill("#id_yuki_access_key", "yuki-key")
    page.fill("#id_relation_code", "-1")
    page.fill("#id_wage_tax_number", "123456789L01")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_load_state()
    # One full stop after a name that ends in one (it said "acme b.v..").
    assert field_error(page, "name").strip().endswith("al een administratie met de naam acme b.v.")
    assert "8-4-4-4-12" in field_error(page, "yuki_administration_id")
    assert "positief geheel getal" in field_error(page, "relation_code")
    assert "elfproef" in field_error(page, "wage_tax_number")
    page.screenshot(path="/tmp/e2e_administration_errors.png", full_page=True)

    page.evaluate("document.querySelector('form.administration-form').noValidate = true")
    page.fill("#id_name", "Acme Twee B.V.")
    page.fill("#id_yuki_administration_id", "2B8C4C41-5A0E-4D7C-9D0C-0F3A7D1E0ABC")
    page.fill("#id_yuki_access_key", "yuki-key")
    page.fill("#id_relation_code", "40123")
    page.fill("#id_wage_tax_number", "8123.45.678.L.01")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"{base}/administrations/*/")
    created = Administration.objects.get(name="Acme Twee B.V.")
    assert (created.yuki_administration_id, created.relation_code, created.wage_tax_number) == (
        "2b8c4c41-5a0e-4d7c-9d0c-0f3a7d1e0abc", "40123", "812345678L01")

    with time_machine.travel("2026-11-15 12:00 +01:00", tick=True):
        page.goto(f"{base}/domains/{acme.pk}/")
        page.get_by_label("Acme B.V.", exact=True).check()
        page.fill("#id_month", "2018-12")
        page.get_by_role("button", name="Geselecteerde administraties nu importeren").click()
        page.wait_for_url(f"{base}/domains/{acme.pk}/")
        assert "Kies een maand vanaf 2019-01" in page.locator("ul.messages").inner_text()
    assert not ImportRun.objects.exists()
    connections.close_all()
