"""Linking administrations to Nmbrs companies through the portal (docs/vendors/nmbrs.md, "Linking administrations to companies"), against the
Nmbrs sandbox over HTTP: by hand from the companies the credentials see, and by number for a domain."""

import html

import pytest
from django.urls import reverse

from connectors.nmbrs.errors import InvalidCredentials, NoCompanyAccess
from integrations.nmbrs.models import NmbrsCredentials, set_portal_credentials
from integrations.nmbrs.models import portal_credentials as portal_credentials_of
from portal.models import Administration, AuditLogEntry, PortalSettings
from sandbox.nmbrs import data
from tests.people import assign
from tests.test_list_pages import sandbox_companies
from tests.vendor_state import make_administration

pytestmark = pytest.mark.django_db

BAKKERIJ_JANSEN, JANSEN_VASTGOED, DE_VRIES, GROEN = data.COMPANIES  # numbers 101, 102, 201, 301


@pytest.fixture(autouse=True)
def companies_of_acme(acme):
    """A portal administrator assigned the sandbox's companies to Acme (portal/sources/shared_access.py)."""
    for company in data.COMPANIES:
        assign(acme, "nmbrs", str(company.id), name=company.name)


@pytest.fixture
def portal_credentials(db):
    portal = PortalSettings.load()
    set_portal_credentials(portal, NmbrsCredentials.objects.create(
        login_email=data.DEMO_USERNAME, api_token=data.DEMO_TOKEN, tenant_key=data.DEMO_DOMAIN, status="authorised"))
    return portal_credentials_of(portal)


def nmbrs_administration(domain, name, relatiecode="", **fields):
    fields.setdefault("use_portal_nmbrs_credentials", True)
    return make_administration(
        domain=domain, name=name, yuki_administration_id=f"adm-{name.lower().replace(' ', '-')}",
        yuki_access_key="key", source="nmbrs", relation_code=relatiecode, **fields)


@pytest.fixture
def jansen(acme, portal_credentials):
    return nmbrs_administration(acme, "Jansen", "0101")


def page_text(response) -> str:
    """The page as the user reads it (entities such as &gt; unescaped)."""
    return html.unescape(response.content.decode())


def companies_url(administration):
    return reverse("nmbrs:companies", args=[administration.pk])


def link_url(domain):
    return reverse("nmbrs:link-by-number", args=[domain.pk])


# --- one administration: list and link by hand -------------------------------------------------------

def test_the_page_lists_the_companies_the_effective_credentials_see(users, login, portal_nmbrs, nmbrs_app, jansen):
    response = login(users["carol"]).get(companies_url(jansen))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["company"].id, r["company"].number, r["company"].name) for r in rows] == \
        [(c.id, c.number, c.name) for c in data.COMPANIES]
    assert [r["company"].id for r in rows if r["number_matches"]] == [BAKKERIJ_JANSEN.id], "0101 is 101"
    text = page_text(response)
    for company in data.COMPANIES:
        assert company.name in text and f'name="company_id" value="{company.id}"' in text
    [call] = nmbrs_app.state.calls_to("List_GetAll")
    assert (call.username, call.domain) == (data.DEMO_USERNAME, data.DEMO_DOMAIN)


def test_linking_a_company_stores_id_number_and_name_and_is_audited(users, login, portal_nmbrs, jansen):
    response = login(users["carol"]).post(companies_url(jansen), {"company_id": DE_VRIES.id})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:administration", args=[jansen.pk])
    jansen.refresh_from_db()
    assert (jansen.nmbrs_link.company_id, jansen.nmbrs_link.company_number, jansen.nmbrs_link.company_name) == \
        (DE_VRIES.id, str(DE_VRIES.number), DE_VRIES.name)
    entry = AuditLogEntry.objects.get(object_id=str(jansen.pk), action="changed")
    assert entry.username == "carol"
    assert entry.changes["Nmbrs company ID"] == {"old": "", "new": DE_VRIES.id}  # msgids: read translated
    assert entry.changes["Nmbrs company name"]["new"] == DE_VRIES.name

    page = login(users["carol"]).get(companies_url(jansen))
    assert [r["company"].id for r in page.context["rows"] if r["linked"]] == [DE_VRIES.id]


def test_a_company_the_credentials_do_not_see_is_not_linked(users, login, portal_nmbrs, jansen, portal_credentials):
    NmbrsCredentials.objects.filter(pk=portal_credentials.pk).update(
        login_email=data.ONE_DEBTOR_USERNAME, api_token=data.ONE_DEBTOR_TOKEN)
    response = login(users["carol"]).post(companies_url(jansen), {"company_id": GROEN.id})
    assert response.status_code == 200
    assert str(NoCompanyAccess.user_message) in page_text(response)
    jansen.refresh_from_db()
    assert jansen.nmbrs_link.company_id is None
    assert not AuditLogEntry.objects.filter(object_id=str(jansen.pk)).exists()


def test_a_linked_company_no_longer_visible_is_reported(users, login, portal_nmbrs, jansen, portal_credentials):
    jansen.nmbrs_link.company_id = GROEN.id
    jansen.save()
    jansen.nmbrs_link.save()
    NmbrsCredentials.objects.filter(pk=portal_credentials.pk).update(
        login_email=data.ONE_DEBTOR_USERNAME, api_token=data.ONE_DEBTOR_TOKEN)
    response = login(users["carol"]).get(companies_url(jansen))
    assert response.context["linked_not_visible"]
    assert str(NoCompanyAccess.user_message) in page_text(response)


def test_credentials_nmbrs_refuses_are_explained_on_the_page(users, login, portal_nmbrs, jansen, portal_credentials):
    NmbrsCredentials.objects.filter(pk=portal_credentials.pk).update(api_token="revoked")
    response = login(users["carol"]).get(companies_url(jansen))
    assert response.status_code == 200
    assert str(InvalidCredentials.user_message) in page_text(response)
    response = login(users["carol"]).post(companies_url(jansen), {"company_id": DE_VRIES.id})
    assert response.status_code == 200
    jansen.refresh_from_db()
    assert jansen.nmbrs_link.company_id is None


def test_without_credentials_the_page_says_so(users, login, portal_nmbrs, acme, nmbrs_app):
    own = nmbrs_administration(acme, "Zonder", use_portal_nmbrs_credentials=False)
    response = login(users["carol"], language="en").get(companies_url(own))
    assert response.status_code == 200
    assert "There are no Nmbrs credentials for this administration" in page_text(response)
    assert not nmbrs_app.state.calls


def test_own_credentials_are_used_when_the_administration_has_them(users, login, portal_nmbrs, nmbrs_app, acme,
                                                                  portal_credentials):
    own = nmbrs_administration(acme, "Eigen", use_portal_nmbrs_credentials=False,
                               own_nmbrs_credentials=NmbrsCredentials.objects.create(
                                   login_email=data.ONE_DEBTOR_USERNAME, api_token=data.ONE_DEBTOR_TOKEN,
                                   tenant_key=data.DEMO_DOMAIN))
    response = login(users["carol"]).get(companies_url(own))
    assert {r["company"].id for r in response.context["rows"]} == {BAKKERIJ_JANSEN.id, JANSEN_VASTGOED.id}
    assert nmbrs_app.state.calls_to("List_GetAll")[0].username == data.ONE_DEBTOR_USERNAME


def test_the_companies_are_paged_and_linked_from_any_page(users, login, portal_nmbrs, nmbrs_app, jansen, acme):
    """A firm's Nmbrs user reaches hundreds of companies: 50 a page, in Nmbrs' order (by number)."""
    more = sandbox_companies(0, 60)
    nmbrs_app.state.companies.extend(more)
    for company in more:
        assign(acme, "nmbrs", str(company.id), name=company.name)
    listed = sorted(nmbrs_app.state.companies, key=lambda c: (c.number, c.name))
    web = login(users["carol"])
    url = companies_url(jansen) + "?page=2"
    response = web.get(url)
    assert [row["company"].id for row in response.context["rows"]] == [c.id for c in listed[50:]]
    # Gone from Nmbrs since the page was shown: refused, and the page it was chosen from is shown again.
    gone = listed[60]
    nmbrs_app.state.companies.remove(gone)
    response = web.post(url, {"company_id": gone.id})
    assert response.status_code == 200 and response.context["page"].number == 2
    text = page_text(response)
    assert str(NoCompanyAccess.user_message) in text and listed[50].name in text and listed[49].name not in text
    jansen.refresh_from_db()
    assert jansen.nmbrs_link.company_id is None
    # Linked from page 2: on to the administration's page, as from the first page.
    chosen = listed[55]
    response = web.post(url, {"company_id": chosen.id})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:administration", args=[jansen.pk])
    jansen.refresh_from_db()
    assert (jansen.nmbrs_link.company_id, jansen.nmbrs_link.company_name) == (chosen.id, chosen.name)
    assert [row["company"].id for row in web.get(url).context["rows"] if row["linked"]] == [chosen.id]
    # Linked to a company on another page is not "no longer visible".
    assert not web.get(companies_url(jansen)).context["linked_not_visible"]


def test_a_loket_administration_has_no_nmbrs_company_page(users, login, acme_admin):
    assert login(users["carol"]).get(companies_url(acme_admin)).status_code == 404


def test_who_may_see_and_link(users, login, portal_nmbrs, jansen, bakkerij):
    url = companies_url(jansen)
    assert login(users["alice"]).get(url).status_code == 200
    assert login(users["bob"]).get(url).status_code == 200, "portal backoffice sees every domain"
    assert login(users["bob"]).post(url, {"company_id": DE_VRIES.id}).status_code == 403, "but links in none"
    assert 'name="company_id"' not in login(users["bob"]).get(url).content.decode(), "no link buttons"
    assert login(users["dave"]).get(url).status_code == 404, "another domain by URL: as if it did not exist"
    assert login(users["dave"]).post(url, {"company_id": DE_VRIES.id}).status_code == 404
    assert login(users["erin"]).get(url).status_code == 403
    from django.test import Client
    assert Client().get(url).status_code == 302, "anonymous: to the login page"
    jansen.refresh_from_db()
    assert jansen.nmbrs_link.company_id is None
    bakkerij_jansen = nmbrs_administration(bakkerij, "Bakkerij Jansen", "101")
    assert login(users["carol"]).get(companies_url(bakkerij_jansen)).status_code == 404
    assert login(users["carol"]).post(companies_url(bakkerij_jansen), {"company_id": 50001}).status_code == 404
    assert login(users["alice"]).post(companies_url(bakkerij_jansen), {"company_id": 50001}).status_code == 302


def test_the_administration_page_links_to_the_company_page(users, login, jansen, acme_admin):
    web = login(users["carol"])
    assert companies_url(jansen) in page_text(web.get(reverse("portal:administration", args=[jansen.pk])))
    loket_page = page_text(web.get(reverse("portal:administration", args=[acme_admin.pk])))
    assert "/nmbrs/" not in loket_page


# --- a domain: link by number ------------------------------------------------------------------------

@pytest.fixture
def acme_nmbrs(acme, acme_admin, portal_credentials):
    """Acme's administrations: matches, an already linked one, and every kind of mismatch."""
    already = nmbrs_administration(acme, "De Vries", "201")
    already.nmbrs_link.company_id, already.nmbrs_link.company_number, already.nmbrs_link.company_name = \
        DE_VRIES.id, str(DE_VRIES.number), DE_VRIES.name
    already.save()
    already.nmbrs_link.save()
    return {
        "bakkerij": nmbrs_administration(acme, "Bakkerij", "0101"),
        "vastgoed": nmbrs_administration(acme, "Vastgoed", " 102 "),
        "de_vries": already,
        "unknown": nmbrs_administration(acme, "Onbekend", "999"),
        "no_number": nmbrs_administration(acme, "Zonder nummer", ""),
        "twin_a": nmbrs_administration(acme, "Tweeling A", "301"),
        "twin_b": nmbrs_administration(acme, "Tweeling B", "301"),
        "no_credentials": nmbrs_administration(acme, "Geen gegevens", "102", use_portal_nmbrs_credentials=False),
    }


def rows_by_name(response):
    return {row.administration.name: row for group in response.context["groups"] for row in group.rows}


def test_link_by_number_shows_matches_and_mismatches_with_reasons(users, login, portal_nmbrs, nmbrs_app, acme_nmbrs):
    response = login(users["carol"], language="en").get(link_url(acme_nmbrs["bakkerij"].domain))
    assert response.status_code == 200
    rows = rows_by_name(response)
    assert "Acme B.V." not in rows, "the Loket administration is not matched"
    assert rows["Bakkerij"].company.id == BAKKERIJ_JANSEN.id and rows["Bakkerij"].to_link
    assert rows["Vastgoed"].company.id == JANSEN_VASTGOED.id and rows["Vastgoed"].to_link
    assert rows["De Vries"].company.id == DE_VRIES.id and rows["De Vries"].already_linked
    assert rows["Onbekend"].reason == "no Nmbrs company has number 999"
    assert rows["Zonder nummer"].reason == "the administration has no Relatiecode to match on"
    assert rows["Tweeling A"].reason == rows["Tweeling B"].reason == \
        "several administrations have Relatiecode 301; give each a unique one"
    assert rows["Geen gegevens"].reason.startswith("no Nmbrs credentials")
    assert (response.context["matches"], response.context["mismatches"], response.context["to_link"]) == (3, 5, 2)
    text = page_text(response)
    assert "no Nmbrs company has number 999" in text
    assert text.count('name="links"') == 2
    assert len(nmbrs_app.state.calls_to("List_GetAll")) == 1, "one call per set of credentials"


def test_two_nmbrs_companies_with_one_number_are_a_mismatch(users, login, portal_nmbrs, nmbrs_app, acme,
                                                           portal_credentials):
    nmbrs_app.state.companies.append(data.Company(50009, 101, "Bakkerij Jansen Filiaal", 7001, "", "", "", "", ""))
    assign(acme, "nmbrs", "50009", name="Bakkerij Jansen Filiaal")
    nmbrs_administration(acme, "Bakkerij", "101")
    rows = rows_by_name(login(users["carol"], language="en").get(link_url(acme)))
    assert rows["Bakkerij"].reason == ("several Nmbrs companies have number 101 (Bakkerij Jansen B.V., Bakkerij "
                                       "Jansen Filiaal); link one by hand")


def test_confirming_saves_the_matches_audited(users, login, portal_nmbrs, acme_nmbrs):
    web = login(users["carol"])
    domain = acme_nmbrs["bakkerij"].domain
    choices = [row.choice for row in rows_by_name(web.get(link_url(domain))).values() if row.to_link]
    response = web.post(link_url(domain), {"links": choices})
    assert response.status_code == 302 and response["Location"] == link_url(domain)
    for key, company in (("bakkerij", BAKKERIJ_JANSEN), ("vastgoed", JANSEN_VASTGOED)):
        administration = Administration.objects.get(pk=acme_nmbrs[key].pk)
        assert (administration.nmbrs_link.company_id, administration.nmbrs_link.company_number,
                administration.nmbrs_link.company_name) == (company.id, str(company.number), company.name)
        assert AuditLogEntry.objects.filter(object_id=str(administration.pk), action="changed",
                                            username="carol").count() == 1
    for key in ("unknown", "no_number", "twin_a", "twin_b", "no_credentials"):
        assert Administration.objects.get(pk=acme_nmbrs[key].pk).nmbrs_link.company_id is None
    assert not AuditLogEntry.objects.filter(object_id=str(acme_nmbrs["de_vries"].pk)).exists()
    after = rows_by_name(web.get(link_url(domain)))
    assert after["Bakkerij"].already_linked and after["Vastgoed"].already_linked


def test_only_the_confirmed_matches_are_saved(users, login, portal_nmbrs, acme_nmbrs):
    domain = acme_nmbrs["bakkerij"].domain
    response = login(users["carol"]).post(link_url(domain), {"links": [f"{acme_nmbrs['vastgoed'].pk}:{JANSEN_VASTGOED.id}"]})
    assert response.status_code == 302
    assert Administration.objects.get(pk=acme_nmbrs["vastgoed"].pk).nmbrs_link.company_id == JANSEN_VASTGOED.id
    assert Administration.objects.get(pk=acme_nmbrs["bakkerij"].pk).nmbrs_link.company_id is None


def test_a_match_that_no_longer_holds_is_refused(users, login, portal_nmbrs, acme_nmbrs):
    """The page was shown, then the Relatiecode changed: the posted pair is not a match any more."""
    bakkerij = acme_nmbrs["bakkerij"]
    Administration.objects.filter(pk=bakkerij.pk).update(relation_code="301")
    response = login(users["carol"], language="en").post(link_url(bakkerij.domain),
                                                         {"links": [f"{bakkerij.pk}:{BAKKERIJ_JANSEN.id}"]})
    assert response.status_code == 200
    assert "The matches changed since the page was shown" in page_text(response)
    assert Administration.objects.get(pk=bakkerij.pk).nmbrs_link.company_id is None


def test_a_forged_pair_is_refused(users, login, portal_nmbrs, acme_nmbrs):
    unknown = acme_nmbrs["unknown"]
    response = login(users["carol"]).post(link_url(unknown.domain), {"links": [f"{unknown.pk}:{GROEN.id}"]})
    assert response.status_code == 200
    assert Administration.objects.get(pk=unknown.pk).nmbrs_link.company_id is None


def test_link_by_number_explains_nmbrs_errors(users, login, portal_nmbrs, acme_nmbrs, portal_credentials):
    NmbrsCredentials.objects.filter(pk=portal_credentials.pk).update(tenant_key="kantor")
    response = login(users["carol"]).get(link_url(acme_nmbrs["bakkerij"].domain))
    assert response.status_code == 200
    assert "Tenant Key niet gevonden" in page_text(response)
    assert response.context["to_link"] == 0


def test_who_may_see_and_confirm_link_by_number(users, login, portal_nmbrs, acme_nmbrs, bakkerij):
    acme = acme_nmbrs["bakkerij"].domain
    pair = {"links": [f"{acme_nmbrs['bakkerij'].pk}:{BAKKERIJ_JANSEN.id}"]}
    assert login(users["bob"]).get(link_url(acme)).status_code == 200
    assert 'name="links"' not in login(users["bob"]).get(link_url(acme)).content.decode()
    assert login(users["bob"]).post(link_url(acme), pair).status_code == 403
    assert login(users["dave"]).get(link_url(acme)).status_code == 404, "another domain by URL: as if it did not exist"
    assert login(users["dave"]).post(link_url(acme), pair).status_code == 404
    assert login(users["erin"]).get(link_url(acme)).status_code == 403
    assert login(users["carol"]).get(link_url(bakkerij)).status_code == 404
    assert login(users["carol"]).post(link_url(bakkerij), pair).status_code == 404
    assert Administration.objects.get(pk=acme_nmbrs["bakkerij"].pk).nmbrs_link.company_id is None
    assert login(users["alice"]).post(link_url(acme), pair).status_code == 302


def test_the_domain_page_links_to_link_by_number_only_with_nmbrs_administrations(users, login, acme_nmbrs,
                                                                                 bakkerij_admin):
    web = login(users["carol"])
    acme_page = web.get(reverse("portal:domain", args=[acme_nmbrs["bakkerij"].domain.pk])).content.decode()
    assert acme_page.count(link_url(acme_nmbrs["bakkerij"].domain)) == 1
    bakkerij_page = login(users["dave"]).get(reverse("portal:domain", args=[bakkerij_admin.domain.pk]))
    assert "link-by-number" not in bakkerij_page.content.decode()


def test_the_company_matching_the_relatiecode_comes_first_on_page_one(users, login, portal_nmbrs, nmbrs_app, acme,
                                                                     portal_credentials):
    """Among hundreds of companies, the one with the administration's Relatiecode is not left on a later page."""
    more = sandbox_companies(0, 120)
    nmbrs_app.state.companies.extend(more)
    for company in more:
        assign(acme, "nmbrs", str(company.id), name=company.name)
    wanted = more[-1]  # the last of Nmbrs' list: page 3 in Nmbrs' order
    administration = nmbrs_administration(acme, "Werkgever", str(wanted.number))
    rows = login(users["carol"]).get(companies_url(administration)).context["rows"]
    assert rows[0]["company"].id == wanted.id and rows[0]["number_matches"]
    assert [row["company"].id for row in rows[1:]] == [c.id for c in sorted(
        nmbrs_app.state.companies, key=lambda c: (c.number, c.name)) if c.id != wanted.id][:49]


def test_the_nmbrs_test_button_answers_404_for_an_administration_of_another_source(users, login, acme):
    """Its check is Nmbrs': an administration that gets its documents elsewhere is not one of its pages."""
    loket = make_administration(domain=acme, name="Loket-klant", yuki_administration_id="adm-loket",
                                          yuki_access_key="key", source="loket", relation_code="40123")
    client = login(users["alice"])
    assert client.post(reverse("nmbrs:test", args=[loket.pk])).status_code == 404
