"""The role matrix of the views that read a payroll source, in every state in which the domain may not
reach the administration's employer (portal/sources/shared_access.py, `guard`).

The world is the demo's: domain 1 (Bakkerij De Korenschoof) has Loket employer 40123, domain 2
(Installatiebedrijf Van Dijk) has 40124, both through the portal's shared Loket access, against the
Loket and Nmbrs sandboxes over HTTP. Domain 2's backoffice user then asks every vendor-reading view
(the Loket test, the deep check, the Nmbrs company pages, a dry run, an import) for its administration
while its employer is: removed by a portal administrator, assigned to domain 1, assigned to no domain,
or not set at all. The answer (after redirects) must name no employer, number or employee of any other
domain, and the source must not have been asked for anything about an employer.
"""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.models import Administration, AssignedEmployer, Domain, PortalRole
from sandbox.loket import data as loket_data
from sandbox.nmbrs import data as nmbrs_data
from sandbox.yuki import data as yuki_data
from tests.people import assign, make_user
from tests.vendor_state import make_administration

KORENSCHOOF, VANDIJK, _OLD, HETANKER, _DECL = loket_data.ADMINISTRATIONS  # 40123 (domain 1), 40124 (domain 2), 40125
BAKKERIJ_JANSEN, JANSEN_VASTGOED, DE_VRIES, GROEN = nmbrs_data.COMPANIES

REFUSED_STATES = ["removed", "assigned-elsewhere", "unassigned", "no-employer"]


def loket_secrets(*employers) -> list[str]:
    """What only Loket could have told about these employers: names, numbers, employees."""
    return [text for e in employers for text in (
        e.employer_name, e.description, str(e.client_number), e.wage_tax_number,
        *(f"{person.first_name} {person.last_name}" for person in e.employees))]


def nmbrs_secrets(*companies) -> list[str]:
    return [text for c in companies for text in (
        c.name, str(c.id), c.kvk, c.email, c.iban, c.wage_tax_number, *(e.name for e in c.employees),
        *(e.iban for e in c.employees))]


def leaked(body: str, secrets, *, own=()) -> list[str]:
    """The secrets in `body`, apart from what the administration itself stores (its own numbers)."""
    for text in own:
        body = body.replace(text, "")
    return sorted({text for text in secrets if text and text in body})


def answer(web: Client, method: str, url: str, data) -> str:
    response = getattr(web, method)(url, data or {}, follow=True)
    assert response.status_code < 500, (url, response.status_code)
    return html.unescape(response.content.decode())


def as_user(user) -> Client:
    web = Client()
    web.force_login(user)
    return web


@pytest.fixture
def domain_2(korenschoof):
    """The demo's second domain, its backoffice user dave, and the portal's Loket access authorised."""
    domain = Domain.objects.get(yuki_domain_id=yuki_data.OTHER_DOMAIN_ID)
    domain.dave = make_user("dave", domains=[domain])
    domain.administration = Administration.objects.get(yuki_administration_id=yuki_data.OTHER_ADMINISTRATION_ID)
    assert domain.administration.loket_link.use_portal_access and domain.administration.relation_code == "40124"
    return domain


def put_loket_in_state(administration, state: str) -> list[str]:
    """Puts the administration in the refused state; returns the numbers it stores itself (on its page anyway)."""
    numbers = {"removed": VANDIJK, "assigned-elsewhere": KORENSCHOOF, "unassigned": HETANKER}.get(state)
    if state == "removed":  # a portal administrator removed the domain's own employer
        AssignedEmployer.objects.filter(source="loket", number="40124").delete()
    administration.relation_code = str(numbers.client_number) if numbers else ""
    administration.wage_tax_number = numbers.wage_tax_number if numbers else ""
    administration.save()
    return [administration.relation_code, administration.wage_tax_number] if numbers else []


def loket_views(administration) -> list[tuple[str, str, str, dict]]:
    import_url = reverse("portal:import-now", args=[administration.pk])
    return [
        ("test page", "get", reverse("loket:test"), {"administration": administration.pk}),
        ("test", "post", reverse("loket:test"), {"administration": administration.pk}),
        ("deep check", "post", reverse("portal:deep-check", args=[administration.pk]), {"period": ""}),
        ("dry run", "post", import_url, {"dry_run": "on", "month": ""}),
        ("import", "post", import_url, {"month": ""}),
    ]


def assert_nothing_of_others(body: str, secrets, own, view: str) -> None:
    found = leaked(body, secrets, own=own)
    assert not found, f"{view}: another domain's employer in the answer: {found}"


# --- Loket ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", REFUSED_STATES)
def test_a_domain_user_reads_nothing_of_another_employer_through_loket(domain_2, loket, state):
    administration = domain_2.administration
    own = put_loket_in_state(administration, state)
    secrets = loket_secrets(KORENSCHOOF, VANDIJK, HETANKER)
    web = as_user(domain_2.dave)
    loket.app.state.requests.clear()
    for view, method, url, data in loket_views(administration):
        with translation.override("nl"):
            body = answer(web, method, url, data)
        assert_nothing_of_others(body, secrets, own, view)
        assert "ziet 5 administraties" not in body and "administraties." not in body, view
    assert loket.app.state.requests == [], "nothing was asked of Loket"


@pytest.mark.parametrize("method", ["get", "post"])
def test_verbinding_testen_after_the_employer_was_removed_shows_the_refusal_not_domain_1s_employer(domain_2, method):
    """The finding: the portal administrator removed domain 2's employer; its user tests the connection."""
    administration = domain_2.administration
    AssignedEmployer.objects.filter(source="loket", number="40124").delete()
    with translation.override("nl"):
        body = answer(as_user(domain_2.dave), method, reverse("loket:test"), {"administration": administration.pk})
    assert "Korenschoof" not in body and "40123" not in body and "812345678L01" not in body
    refused = body.split('data-testid="loket-test-refused"')[1].split("</p>")[0]
    assert "niet toegewezen aan het domein Installatiebedrijf Van Dijk" in refused
    assert 'data-testid="loket-test-run"' not in body, "no button for a test that cannot be done"


@pytest.mark.parametrize("state", REFUSED_STATES)
def test_not_even_a_portal_administrators_check_picks_an_employer(domain_2, loket, state):
    """The portal administrator is not limited in what they assign, but a check still reads only for the
    administration's own, allowed employer: the deep check and the test say why not, in Dutch."""
    administration = domain_2.administration
    own = put_loket_in_state(administration, state)
    web = as_user(make_user("alice", PortalRole.ADMINISTRATOR))
    loket.app.state.requests.clear()
    with translation.override("nl"):
        deep = answer(web, "post", reverse("portal:deep-check", args=[administration.pk]), {"period": ""})
        tested = answer(web, "post", reverse("loket:test"), {"administration": administration.pk})
    for body in (deep, tested):
        assert_nothing_of_others(body, loket_secrets(KORENSCHOOF, VANDIJK, HETANKER), own, "alice")
        assert "niet toegewezen aan het domein" in body or "Er is nog geen Loket-werkgever" in body
    assert loket.app.state.requests == []


def test_the_control_an_assigned_employer_is_tested_without_the_firms_count(domain_2, loket):
    """The same views read the domain's own employer once it is assigned: the checks above can fail."""
    administration = domain_2.administration
    with translation.override("nl"):
        body = answer(as_user(domain_2.dave), "post", reverse("loket:test"), {"administration": administration.pk})
    assert VANDIJK.description in body and "Kees van Dijk" not in body
    assert "Loket accepteert de autorisatie." in body and "administraties" not in body
    assert leaked(body, loket_secrets(KORENSCHOOF, HETANKER)) == []


# --- Nmbrs ------------------------------------------------------------------------------------------------

@pytest.fixture
def nmbrs_administration(domain_2, shared_nmbrs):
    """Domain 2's Nmbrs administration on the portal's shared Nmbrs credentials; Bakkerij Jansen is domain 1's."""
    domain_1 = Domain.objects.get(yuki_domain_id=yuki_data.DEMO_DOMAIN_ID)
    assign(domain_1, "nmbrs", str(BAKKERIJ_JANSEN.id), name=BAKKERIJ_JANSEN.name)
    return make_administration(
        domain=domain_2, name="Van Dijk Loonadministratie", yuki_administration_id="adm-vandijk-nmbrs",
        yuki_access_key=yuki_data.OTHER_ACCESS_KEY, source="nmbrs", use_portal_nmbrs_credentials=True)


def put_nmbrs_in_state(administration, state: str) -> list[str]:
    company = {"removed": GROEN, "assigned-elsewhere": BAKKERIJ_JANSEN, "unassigned": DE_VRIES}.get(state)
    if state == "removed":
        assign(administration.domain, "nmbrs", str(GROEN.id), name=GROEN.name).delete()
    administration.nmbrs_link.company_id = company.id if company else None
    administration.relation_code = str(company.number) if company else ""  # its Relatiecode
    administration.save()
    administration.nmbrs_link.save()
    return [str(company.id)] if company else []  # its own link, which the refusal names


def nmbrs_views(administration) -> list[tuple[str, str, str, dict]]:
    import_url = reverse("portal:import-now", args=[administration.pk])
    companies = reverse("nmbrs:companies", args=[administration.pk])
    return [
        ("companies", "get", companies, {}),
        ("link a company", "post", companies, {"company_id": administration.nmbrs_link.company_id or DE_VRIES.id}),
        ("link by number", "get", reverse("nmbrs:link-by-number", args=[administration.domain.pk]), {}),
        ("deep check", "post", reverse("portal:deep-check", args=[administration.pk]), {"period": ""}),
        ("dry run", "post", import_url, {"dry_run": "on", "month": ""}),
        ("import", "post", import_url, {"month": ""}),
    ]


@pytest.mark.parametrize("state", REFUSED_STATES)
def test_a_domain_user_reads_nothing_of_another_company_through_nmbrs(domain_2, nmbrs_administration, nmbrs, state):
    administration = nmbrs_administration
    own = put_nmbrs_in_state(administration, state)
    web = as_user(domain_2.dave)
    nmbrs.app.state.calls.clear()
    for view, method, url, data in nmbrs_views(administration):
        with translation.override("nl"):
            body = answer(web, method, url, data)
        assert_nothing_of_others(body, nmbrs_secrets(*nmbrs_data.COMPANIES), own, view)
    administration.refresh_from_db()
    assert administration.nmbrs_link.company_name == "", "nothing linked"
    if state in ("removed", "assigned-elsewhere", "unassigned"):  # the companies page says why, in Dutch
        with translation.override("nl"):
            page = answer(web, "get", reverse("nmbrs:companies", args=[administration.pk]), {})
        assert "niet toegewezen aan het domein Installatiebedrijf Van Dijk" in \
            page.split('data-testid="linked-refused"')[1].split("</p>")[0]
    # Listing the companies (to filter them) is all: nothing was read about any company.
    assert {call.operation for call in nmbrs.app.state.calls} <= {"List_GetAll"}


@pytest.mark.parametrize("state", REFUSED_STATES)
def test_not_even_a_portal_administrators_nmbrs_check_reads_an_unreachable_company(nmbrs_administration, nmbrs,
                                                                                    state):
    administration = nmbrs_administration
    put_nmbrs_in_state(administration, state)
    nmbrs.app.state.calls.clear()
    with translation.override("nl"):
        body = answer(as_user(make_user("alice", PortalRole.ADMINISTRATOR)), "post",
                      reverse("portal:deep-check", args=[administration.pk]), {"period": ""})
    assert "niet toegewezen aan het domein" in body or "Er is nog geen Nmbrs-werkgever" in body
    assert list(nmbrs.app.state.calls) == []
