"""The central form of the product in the browser: add and edit a Loket and an Nmbrs administration in every
combination of the switches, press Bewaren, and read the saved values back after a reload.

Before the fix the hidden Nmbrs (or own import) fields stayed `required`: the browser refused to submit
without a word ("An invalid form control ... is not focusable") and nothing was saved.
"""

from __future__ import annotations

import itertools

import pytest

from integrations.nmbrs.models import NmbrsCredentials, set_portal_credentials
from portal.models import Administration, Domain, PortalRole, PortalSettings
from portal.models.connections import ConnectionStatus
from sandbox.nmbrs import data as nmbrs_data
from tests.browser.steps import yuki_knows
from tests.people import assign, make_user

SWITCHES = list(itertools.product([True, False], repeat=2))


def yuki_id(index: int) -> str:
    """A Yuki administration ID in Yuki's own form (a GUID), a different one per index."""
    return f"5f0c9a52-1b9e-4c61-9d0e-2a7b3c4d{index:04x}"


@pytest.fixture
def domain(db):
    return Domain.objects.create(name="Korenschoof", yuki_domain_id="dom-korenschoof", payroll_link_active=True)


@pytest.fixture
def portal_nmbrs(db):
    portal = PortalSettings.load()
    set_portal_credentials(portal, NmbrsCredentials.objects.create(
        login_email=nmbrs_data.DEMO_USERNAME, api_token=nmbrs_data.DEMO_TOKEN, tenant_key=nmbrs_data.DEMO_DOMAIN,
        status=ConnectionStatus.AUTHORISED))


def set_box(page, selector: str, on: bool) -> None:
    page.locator(selector).set_checked(on)


def fill_loket(page, *, name, number, portal_access, portal_import, first_day, pick=None):
    page.fill("#id_name", name)
    page.select_option("#id_source", "loket")
    page.fill("#id_relation_code", number)
    page.fill("#id_wage_tax_number", "8123.45.678.L.01")
    set_box(page, "#id_use_portal_loket_access", portal_access)
    if pick is not None:  # a domain user on the portal's shared access picks an assigned employer
        page.select_option("#id_shared_employer", str(pick.pk))
    set_box(page, "#id_use_portal_import_settings", portal_import)
    if not portal_import:
        page.fill("#id_own-first_day", str(first_day))
        page.fill("#id_own-last_day", "28")


def fill_nmbrs(page, *, name, number, portal_credentials, portal_import, first_day):
    page.fill("#id_name", name)
    page.select_option("#id_source", "nmbrs")
    page.fill("#id_relation_code", number)
    set_box(page, "#id_use_portal_nmbrs_credentials", portal_credentials)
    set_box(page, "#id_use_portal_import_settings", portal_import)
    if not portal_import:
        page.fill("#id_own-first_day", str(first_day))
        page.fill("#id_own-last_day", "28")
    if not portal_credentials:
        page.fill("#id_nmbrs-login_email", nmbrs_data.DEMO_USERNAME)
        page.fill("#id_nmbrs-tenant_key", f"https://{nmbrs_data.DEMO_DOMAIN}.nmbrs.nl")
        page.fill("#id_nmbrs-api_token", nmbrs_data.DEMO_TOKEN)


def save(journey) -> Administration:
    journey.page.get_by_role("button", name="Bewaren").click()
    journey.page.wait_for_url("**/administrations/*/")
    assert "is bewaard" in journey.page.locator(".messages").inner_text()
    return Administration.objects.get(pk=int(journey.page.url.rstrip("/").rsplit("/", 1)[1]))


def read_back(journey, administration, *, switch_box, switch_on, portal_import, first_day, number):
    page = journey.page
    journey.goto(f"/administrations/{administration.pk}/edit/")
    page.reload()
    assert page.locator("#id_relation_code").input_value() == number
    assert page.locator(switch_box).is_checked() is switch_on
    assert page.locator("#id_use_portal_import_settings").is_checked() is portal_import
    assert page.get_by_test_id("own-import").is_visible() is (not portal_import)
    if not portal_import:
        assert page.locator("#id_own-first_day").input_value() == str(first_day)


@pytest.mark.parametrize("user_kind", ["accountant", "domain backoffice"])
def test_loket_administration_every_combination(journey, domain, vendors, user_kind):
    user = (make_user("alice", PortalRole.ADMINISTRATOR) if user_kind == "accountant"
            else make_user("dave", domains=[domain]))
    # The portal's shared Loket access reaches only the employers a portal administrator assigned to the domain;
    # the domain user picks one of those (the accountant, a portal administrator, types the numbers).
    picks = user_kind == "domain backoffice"
    assigned = {number: assign(domain, "loket", number, "812345678L01", f"Werkgever {number}")
                for index in range(len(SWITCHES)) for number in (f"4012{index}", f"4012{index}9")}
    journey.login(user)
    page = journey.page
    administration = None
    for index, (portal_access, portal_import) in enumerate(SWITCHES):
        first_day = 2 + index
        number = f"4012{index}"
        # Add, in this combination ...
        yuki_knows(vendors["yuki"].app, domain.yuki_domain_id, yuki_id(index), f"key-{index}", f"Loket {index} B.V.")
        journey.goto(f"/domains/{domain.pk}/administrations/new/")
        page.fill("#id_yuki_administration_id", yuki_id(index))
        page.fill("#id_yuki_access_key", f"key-{index}")
        fill_loket(page, name=f"Loket {index}", number=number, portal_access=portal_access,
                   portal_import=portal_import, first_day=first_day,
                   pick=assigned[number] if picks and portal_access else None)
        assert not page.get_by_test_id("own-nmbrs").is_visible()
        created = save(journey)
        assert created.source == "loket" and created.wage_tax_number == "812345678L01"
        assert created.loket_link.use_portal_access is portal_access and created.use_portal_import_settings is portal_import
        assert created.own_import_settings is None or created.own_import_settings.first_day == first_day
        assert created.nmbrs_link.own_credentials is None
        read_back(journey, created, switch_box="#id_use_portal_loket_access", switch_on=portal_access,
                  portal_import=portal_import, first_day=first_day, number=number)
        # ... and edit the previous one into this combination (the key stays stored: left empty).
        if administration is not None:
            journey.goto(f"/administrations/{administration.pk}/edit/")
            fill_loket(page, name=administration.name, number=number + "9", portal_access=portal_access,
                       portal_import=portal_import, first_day=first_day,
                       pick=assigned[number + "9"] if picks and portal_access else None)
            edited = save(journey)
            assert edited.pk == administration.pk and edited.relation_code == number + "9"
            assert edited.yuki_access_key == administration.yuki_access_key
            read_back(journey, edited, switch_box="#id_use_portal_loket_access", switch_on=portal_access,
                      portal_import=portal_import, first_day=first_day, number=number + "9")
        administration = created


def test_nmbrs_administration_every_combination(journey, domain, vendors, portal_nmbrs):
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page
    administration = None
    for index, (portal_credentials, portal_import) in enumerate(SWITCHES):
        first_day = 3 + index
        number = f"10{index}"
        yuki_knows(vendors["yuki"].app, domain.yuki_domain_id, yuki_id(16 + index), f"key-{index}",
                   f"Nmbrs {index} B.V.")
        journey.goto(f"/domains/{domain.pk}/administrations/new/")
        page.fill("#id_yuki_administration_id", yuki_id(16 + index))
        page.fill("#id_yuki_access_key", f"key-{index}")
        fill_nmbrs(page, name=f"Nmbrs {index}", number=number, portal_credentials=portal_credentials,
                   portal_import=portal_import, first_day=first_day)
        assert not page.locator('[data-field="wage_tax_number"]').is_visible()
        assert page.get_by_test_id("own-nmbrs").is_visible() is (not portal_credentials)
        created = save(journey)
        assert created.source == "nmbrs" and created.nmbrs_link.use_portal_credentials is portal_credentials
        if portal_credentials:
            assert created.nmbrs_link.own_credentials is None
        else:
            own = created.nmbrs_link.own_credentials
            assert own.tenant_key == nmbrs_data.DEMO_DOMAIN and own.api_token == nmbrs_data.DEMO_TOKEN
        read_back(journey, created, switch_box="#id_use_portal_nmbrs_credentials", switch_on=portal_credentials,
                  portal_import=portal_import, first_day=first_day, number=number)
        if not portal_credentials:
            assert page.locator("#id_nmbrs-login_email").input_value() == nmbrs_data.DEMO_USERNAME
        if administration is not None:
            journey.goto(f"/administrations/{administration.pk}/edit/")
            fill_nmbrs(page, name=administration.name, number=number + "9", portal_credentials=portal_credentials,
                       portal_import=portal_import, first_day=first_day)
            edited = save(journey)
            assert edited.pk == administration.pk and edited.nmbrs_link.use_portal_credentials is portal_credentials
            read_back(journey, edited, switch_box="#id_use_portal_nmbrs_credentials", switch_on=portal_credentials,
                      portal_import=portal_import, first_day=first_day, number=number + "9")
        administration = created


def test_a_wrong_wage_tax_number_is_refused_and_nothing_typed_is_lost(journey, domain, vendors):
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page
    yuki_knows(vendors["yuki"].app, domain.yuki_domain_id, yuki_id(99), "sleutel-123", "Fout B.V.")
    journey.goto(f"/domains/{domain.pk}/administrations/new/")
    page.fill("#id_yuki_administration_id", yuki_id(99))
    page.fill("#id_yuki_access_key", "sleutel-123")
    fill_loket(page, name="Fout B.V.", number="40777", portal_access=True, portal_import=False, first_day=4)
    page.fill("#id_wage_tax_number", "12345")
    page.get_by_role("button", name="Bewaren").click()
    assert page.locator('[data-field="wage_tax_number"] .error').is_visible()
    summary = page.get_by_test_id("error-summary")
    assert summary.is_visible() and "loonheffingennummer" in summary.inner_text().lower()
    assert page.evaluate("document.activeElement.id") == "id_wage_tax_number"
    # What was typed is still there; the access key is kept (not shown) and says so.
    assert page.locator("#id_name").input_value() == "Fout B.V."
    assert page.locator("#id_own-first_day").input_value() == "4"
    assert page.locator("#id_yuki_access_key").input_value() == "" and "sleutel-123" not in page.content()
    assert "onthouden" in page.locator('[data-field="yuki_access_key"] .help').inner_text()
    page.fill("#id_wage_tax_number", "812345678L01")
    created = save(journey)
    assert created.yuki_access_key == "sleutel-123" and created.own_import_settings.first_day == 4
