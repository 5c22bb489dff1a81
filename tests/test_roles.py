"""The whole role matrix: each role x each page and action, including another domain's objects by URL."""

import re

import pytest
from django.urls import reverse

from portal.models import Administration, Domain, ImportRun, LedgerEntry, PortalSettings

# page name -> (method, url builder, data builder)
OK, DENIED = "ok", "denied"
# Another domain's object answers exactly as a missing one (404), so nobody can probe which ids exist.
HIDDEN = "hidden"

MATRIX = {
    #  action                      alice bob   carol dave  erin
    "dashboard":                   (OK, OK, OK, OK, DENIED),
    "portal settings":             (OK, OK, DENIED, DENIED, DENIED),
    "save portal import settings": (OK, OK, DENIED, DENIED, DENIED),
    "add domain page":             (OK, DENIED, DENIED, DENIED, DENIED),
    "add domain":                  (OK, DENIED, DENIED, DENIED, DENIED),
    "view Acme":                   (OK, OK, OK, HIDDEN, DENIED),
    "edit Acme page":              (OK, DENIED, DENIED, DENIED, DENIED),
    "switch Acme contract off":    (OK, DENIED, DENIED, DENIED, DENIED),
    "view Acme administration":    (OK, OK, OK, HIDDEN, DENIED),
    "edit Acme administration page": (OK, DENIED, OK, HIDDEN, DENIED),
    "save Acme administration":    (OK, DENIED, OK, HIDDEN, DENIED),
    "add administration to Acme page": (OK, DENIED, OK, HIDDEN, DENIED),
    "add administration to Acme":  (OK, DENIED, OK, HIDDEN, DENIED),
    "Acme petty cash page":        (OK, OK, OK, HIDDEN, DENIED),
    "run log":                     (OK, OK, OK, OK, DENIED),
    "import Acme now":             (OK, DENIED, OK, HIDDEN, DENIED),
    "bulk import in Acme":         (OK, DENIED, OK, HIDDEN, DENIED),
    "retry Acme's failed documents": (OK, DENIED, OK, HIDDEN, DENIED),
    "annual documents page":       (OK, OK, OK, OK, DENIED),
    "view an Acme run":            (OK, OK, OK, HIDDEN, DENIED),
    "view an Acme document":       (OK, OK, OK, HIDDEN, DENIED),
    "answer for an Acme document": (OK, DENIED, OK, HIDDEN, DENIED),
    "documents to check":          (OK, OK, OK, OK, DENIED),
    "Acme's completeness report":  (OK, OK, OK, HIDDEN, DENIED),
    "Acme's completeness as PDF":  (OK, OK, OK, HIDDEN, DENIED),
    "Acme domain's completeness":  (OK, OK, OK, HIDDEN, DENIED),
    "edit a user":                 (OK, DENIED, DENIED, DENIED, DENIED),
    "audit log":                   (OK, DENIED, DENIED, DENIED, DENIED),
    "user list":                   (OK, DENIED, DENIED, DENIED, DENIED),
    "add user":                    (OK, DENIED, DENIED, DENIED, DENIED),
}
ROLES = ["alice", "bob", "carol", "dave", "erin"]


def admin_post_data(administration, **changes):
    data = {
        "name": administration.name, "yuki_administration_id": "00000000-0000-4000-8000-000000000011",
        "yuki_access_key": "", "source": "loket", "relation_code": administration.relation_code,
        "wage_tax_number": "812345678L01", "use_portal_loket_access": "on",
        "use_portal_import_settings": "on",
    }
    data.update(changes)
    return data


def request_for(action, acme, acme_admin):
    return {
        "dashboard": ("get", reverse("portal:dashboard"), None),
        "portal settings": ("get", reverse("portal:settings"), None),
        "save portal import settings": ("post", reverse("portal:settings"), {
            "section": "import", "import-auto_import": "on", "import-import_payslips": "on",
            "import-wage_tax_return_status": "locked", "import-first_day": "3", "import-last_day": "20"}),
        "add domain page": ("get", reverse("portal:domain-create"), None),
        "add domain": ("post", reverse("portal:domain-create"), {"name": "New", "yuki_domain_id": "00000000-0000-4000-8000-000000000012"}),
        "view Acme": ("get", reverse("portal:domain", args=[acme.pk]), None),
        "edit Acme page": ("get", reverse("portal:domain-edit", args=[acme.pk]), None),
        "switch Acme contract off": ("post", reverse("portal:domain-edit", args=[acme.pk]),
                                     {"name": "Acme", "yuki_domain_id": "00000000-0000-4000-8000-000000000013"}),
        "view Acme administration": ("get", reverse("portal:administration", args=[acme_admin.pk]), None),
        "edit Acme administration page": ("get", reverse("portal:administration-edit", args=[acme_admin.pk]), None),
        "save Acme administration": ("post", reverse("portal:administration-edit", args=[acme_admin.pk]),
                                     admin_post_data(acme_admin, name="Acme Renamed B.V.")),
        "add administration to Acme page": ("get", reverse("portal:administration-create", args=[acme.pk]), None),
        "add administration to Acme": ("post", reverse("portal:administration-create", args=[acme.pk]), {
            "name": "Acme Two", "yuki_administration_id": "00000000-0000-4000-8000-000000000014", "yuki_access_key": "k2", "source": "loket",
            "relation_code": "1001", "wage_tax_number": "812345678L01", "use_portal_loket_access": "on",
            "use_portal_import_settings": "on"}),
        "run log": ("get", reverse("portal:runs"), None),
        "import Acme now": ("post", reverse("portal:import-now", args=[acme_admin.pk]), {"month": ""}),
        "bulk import in Acme": ("post", reverse("portal:import-bulk", args=[acme.pk]),
                                {"administration": [acme_admin.pk], "month": ""}),
        "retry Acme's failed documents": ("post", reverse("portal:retry-failed", args=[acme_admin.pk]), {}),
        "Acme petty cash page": ("get", reverse("portal:petty-cash", args=[acme_admin.pk]), None),
        "annual documents page": ("get", reverse("portal:annual-documents"), None),
        "view an Acme run": ("get", reverse("portal:run", args=[ImportRun.objects.get(slot="acme-run").pk]), None),
        "view an Acme document": ("get", reverse("portal:document", args=[LedgerEntry.objects.get(
            source_id="ps-check").pk]), None),
        "answer for an Acme document": ("post", reverse("portal:document-answer", args=[LedgerEntry.objects.get(
            source_id="ps-check").pk]), {"answer": "in_yuki"}),
        "documents to check": ("get", reverse("portal:needs-check"), None),
        # The read-back (a POST that calls Yuki): tests/test_url_matrix.py and tests/engine/test_completeness.py.
        "Acme's completeness report": ("get", reverse("portal:completeness", args=[acme_admin.pk]), None),
        "Acme's completeness as PDF": ("get", reverse("portal:completeness-export",
                                                      args=[acme_admin.pk, "2026-11", "pdf"]), None),
        "Acme domain's completeness": ("get", reverse("portal:domain-completeness", args=[acme.pk]), None),
        "edit a user": ("get", reverse("portal:user-edit", args=[acme.memberships.first().user_id]), None),
        "audit log": ("get", reverse("portal:audit"), None),
        "user list": ("get", reverse("portal:users"), None),
        "add user": ("get", reverse("portal:user-create"), None),
    }[action]


def state(acme):
    """What a denied action must not have changed."""
    portal = PortalSettings.load()
    acme.refresh_from_db()
    return (portal.import_settings.first_day, Domain.objects.count(), acme.payroll_link_active,
            list(Administration.objects.order_by("pk").values_list("name", flat=True)),
            ImportRun.objects.count(), LedgerEntry.objects.filter(state="failed").count(),
            LedgerEntry.objects.filter(state="booked").count())


@pytest.fixture
def acme_documents(acme_admin):
    """A failed document (for "retry"), an earlier run and a document held for a person's check."""
    LedgerEntry.objects.create(administration=acme_admin, source="loket", kind="payslip", source_id="ps-1",
                               period="2026-11", title="Loonstrook", file_name="ls.pdf", content_hash="x",
                               content=b"%PDF", state="failed")
    ImportRun.objects.create(administration=acme_admin, source="loket", trigger="scheduled", slot="acme-run",
                             status="succeeded")
    LedgerEntry.objects.create(administration=acme_admin, source="loket", kind="payslip", source_id="ps-check",
                               period="2026-11", title="Loonstrook 2", file_name="ls2.pdf", content_hash="y",
                               content=b"%PDF", state="needs_check", check_by_person=True)


@pytest.mark.parametrize("action", MATRIX)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_role_matrix(action, role_index, users, acme, acme_admin, bakkerij_admin, acme_documents, client):
    user = users[ROLES[role_index]]
    expected = MATRIX[action][role_index]
    method, url, data = request_for(action, acme, acme_admin)
    before = state(acme)
    client.force_login(user)
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    if expected == OK:
        assert response.status_code in (200, 302), response.content[:500]
        if method == "post":
            assert response.status_code == 302, "a valid POST redirects after saving"
            assert state(acme) != before, "an allowed action changed something"
    else:
        assert response.status_code == (404 if expected == HIDDEN else 403)
        assert state(acme) == before, "a denied action changed nothing"


@pytest.mark.parametrize("action", MATRIX)
def test_anonymous_is_sent_to_login(action, users, acme, acme_admin, acme_documents, client):
    method, url, data = request_for(action, acme, acme_admin)
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_backoffice_sees_only_its_domains_on_the_dashboard(users, acme_admin, bakkerij_admin, login):
    page = login(users["carol"]).get(reverse("portal:dashboard")).content.decode()
    assert "Acme B.V." in page
    assert "Bakkerij" not in page


def test_portal_backoffice_sees_every_domain(users, acme_admin, bakkerij_admin, login):
    page = login(users["bob"]).get(reverse("portal:dashboard")).content.decode()
    assert "Acme B.V." in page and "Bakkerij B.V." in page


def unmasked(page: bytes) -> bytes:
    """A page without its CSRF token, which Django masks anew in every answer (the log-out form)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


def test_backoffice_cannot_reach_another_domains_administration_by_url(users, bakkerij_admin, login):
    """Another domain's administration answers exactly as one that does not exist: the same status and page."""
    client = login(users["carol"])
    missing = max(Administration.objects.values_list("pk", flat=True)) + 1000
    for name in ("portal:administration", "portal:administration-edit"):
        other, nothing = client.get(reverse(name, args=[bakkerij_admin.pk])), client.get(reverse(name, args=[missing]))
        assert other.status_code == nothing.status_code == 404
        assert unmasked(other.content) == unmasked(nothing.content)
    assert client.get(reverse("portal:administration-create", args=[bakkerij_admin.domain.pk])).status_code == 404


def test_the_dashboard_needs_the_same_number_of_queries_for_many_domains(users, acme_admin, login,
                                                                         django_assert_max_num_queries):
    from portal.models import Administration, Domain

    client = login(users["carol"])
    client.get(reverse("portal:dashboard"))  # warm up the session and the portal settings row
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("portal:dashboard"))
    for n in range(10):
        domain = Domain.objects.create(name=f"D{n}", yuki_domain_id=f"dom-{n}", payroll_link_active=True)
        domain.memberships.create(user=users["carol"])
        for m in range(3):
            Administration.objects.create(domain=domain, name=f"A{n}-{m}", yuki_administration_id=f"a{n}-{m}",
                                          yuki_access_key="k", relation_code="1", wage_tax_number="123456789L01")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("portal:dashboard"))
    assert "A0-2" in page.content.decode()  # the first 10 domains by name: Acme, D0, ..., D8
