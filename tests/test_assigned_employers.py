"""The portal's shared access (README "Roles"): the portal administrator's assignment of employers to a domain (audited), and
the administration form, where a domain user on the portal's shared access picks one of them instead
of typing numbers the shared access would follow (portal/sources/shared_access.py)."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.models import Administration, AssignedEmployer, AuditLogEntry
from portal.models.audit import AuditAction
from tests.people import assign

pytestmark = pytest.mark.django_db

with translation.override("en"):
    ASSIGNED = str(AssignedEmployer._meta.verbose_name)  # the audit log keeps the msgid (portal/auditing.py)
KORENSCHOOF = ("40123", "812345678L01", "Bakkerij De Korenschoof B.V.")


def employers_url(domain):
    return reverse("portal:domain-employers", args=[domain.pk])


def new_administration(login, user, domain, **changes):
    data = {"name": "Acme Twee", "yuki_administration_id": "00000000-0000-4000-8000-000000000031", "yuki_access_key": "k2", "source": "loket",
            "relation_code": KORENSCHOOF[0], "wage_tax_number": KORENSCHOOF[1],
            "use_portal_loket_access": "on", "use_portal_import_settings": "on", **changes}
    return login(user).post(reverse("portal:administration-create", args=[domain.pk]), data)


def test_the_administrator_assigns_an_employer_normalised_and_audited(users, login, acme):
    web = login(users["alice"])
    response = web.post(employers_url(acme), {"source": "loket", "number": "040123",
                                              "wage_tax_number": "8123.45.678.l.01", "name": KORENSCHOOF[2]})
    assert response.status_code == 302
    employer = AssignedEmployer.objects.get()
    assert (employer.domain, employer.number, employer.wage_tax_number) == (acme, "40123", "812345678L01")
    entry = AuditLogEntry.objects.get(object_type=ASSIGNED)
    assert entry.action == AuditAction.CREATED and entry.username == "alice" and "Acme" in entry.object_repr
    page = web.get(employers_url(acme)).content.decode()
    assert KORENSCHOOF[2] in page and "812345678L01" in page

    web.post(reverse("portal:domain-employer-remove", args=[acme.pk, employer.pk]))
    assert not AssignedEmployer.objects.exists()
    assert AuditLogEntry.objects.filter(object_type=ASSIGNED, action=AuditAction.DELETED).count() == 1


def test_an_employer_belongs_to_one_domain_and_bad_numbers_get_a_dutch_message(users, login, acme, bakkerij):
    assign(acme, "loket", KORENSCHOOF[0], KORENSCHOOF[1], KORENSCHOOF[2])
    web = login(users["alice"])
    with translation.override("nl"):
        taken = web.post(employers_url(bakkerij), {"source": "loket", "number": "40123",
                                                   "wage_tax_number": "812345678L01", "name": "X"})
        assert taken.status_code == 200 and "toegewezen aan het domein Acme" in taken.content.decode()
        for number, wage_tax_number in [("abc", "812345678L01"), ("-1", "812345678L01"), ("40123", "123"),
                                        ("40123", "")]:
            response = web.post(employers_url(bakkerij), {"source": "loket", "number": number,
                                                          "wage_tax_number": wage_tax_number, "name": "X"})
            assert response.status_code == 200 and 'class="error"' in response.content.decode()
        bad_company = web.post(employers_url(bakkerij), {"source": "nmbrs", "number": "5000x", "name": "X"})
        assert "Een Nmbrs-bedrijfs-ID is een geheel getal" in bad_company.content.decode()
    assert AssignedEmployer.objects.count() == 1


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "erin"])
def test_only_a_portal_administrator_assigns(users, login, acme, who):
    employer = assign(acme, "loket", "1", "123456789L01")
    web = login(users[who])
    assert web.get(employers_url(acme)).status_code in (403, 302)
    assert web.post(employers_url(acme), {"source": "loket", "number": "2", "wage_tax_number": "123456789L01",
                                          "name": "X"}).status_code in (403, 302)
    assert web.post(reverse("portal:domain-employer-remove", args=[acme.pk, employer.pk])).status_code in (403, 302)
    assert list(AssignedEmployer.objects.all()) == [employer]


def test_a_domain_user_cannot_follow_a_typed_number_on_the_shared_access(users, login, acme):
    with translation.override("nl"):
        response = new_administration(login, users["carol"], acme)
    assert response.status_code == 200 and not Administration.objects.filter(name="Acme Twee").exists()
    assert "de werkgever uit de lijst van werkgevers die een portaalbeheerder" in response.content.decode()


def test_a_domain_user_picks_an_assigned_employer_and_its_numbers_are_used(users, login, acme, bakkerij):
    ours = assign(acme, "loket", "40125", "834567891L02", "Zorggroep Het Anker")
    theirs = assign(bakkerij, "loket", KORENSCHOOF[0], KORENSCHOOF[1], KORENSCHOOF[2])
    page = login(users["carol"]).get(reverse("portal:administration-create", args=[acme.pk])).content.decode()
    assert "Zorggroep Het Anker" in page and KORENSCHOOF[2] not in page, "only the domain's own employers"
    refused = new_administration(login, users["carol"], acme, shared_employer=theirs.pk)
    assert refused.status_code == 200 and not Administration.objects.filter(name="Acme Twee").exists()
    assert new_administration(login, users["carol"], acme, shared_employer=ours.pk).status_code == 302
    created = Administration.objects.get(name="Acme Twee")
    assert (created.relation_code, created.wage_tax_number) == ("40125", "834567891L02"), "typed ignored"


def test_a_domain_users_own_loket_login_is_theirs_to_use(users, login, acme):
    data = {"use_portal_loket_access": ""}
    assert new_administration(login, users["carol"], acme, **data).status_code == 302
    created = Administration.objects.get(name="Acme Twee")
    assert (created.relation_code, created.loket_link.use_portal_access) == (KORENSCHOOF[0], False)


def test_an_administrator_is_not_limited_and_a_free_employer_is_assigned_on_saving(users, login, acme, bakkerij):
    assert new_administration(login, users["alice"], acme).status_code == 302
    assert AssignedEmployer.objects.get(number="40123").domain == acme
    assert AuditLogEntry.objects.filter(object_type=ASSIGNED, action=AuditAction.CREATED).exists()
    # Another domain's employer stays theirs: saved (not limited), its imports stay refused, and said so.
    response = new_administration(login, users["alice"], bakkerij, name="Bakkerij Twee")
    assert response.status_code == 302
    assert AssignedEmployer.objects.get(number="40123").domain == acme


def test_assigning_and_removing_keep_the_page_and_errors_show_on_it(users, login, acme):
    from tests.test_list_pages import grow

    grow(acme, domains=0, administrations=1, runs=0, entries=0, users=0, busy=60)
    web = login(users["alice"])
    url = employers_url(acme) + "?page=2"
    assigned = web.post(url, {"source": "loket", "number": KORENSCHOOF[0], "wage_tax_number": KORENSCHOOF[1],
                              "name": KORENSCHOOF[2]})
    assert assigned.status_code == 302 and assigned["Location"] == url
    employer = AssignedEmployer.objects.get(number=KORENSCHOOF[0])
    removed = web.post(reverse("portal:domain-employer-remove", args=[acme.pk, employer.pk]) + "?page=2")
    assert removed.status_code == 302 and removed["Location"] == url
    assert not AssignedEmployer.objects.filter(number=KORENSCHOOF[0]).exists()
    with translation.override("nl"):
        refused = web.post(url, {"source": "loket", "number": "abc", "wage_tax_number": KORENSCHOOF[1], "name": "X"})
        html = refused.content.decode()
    assert refused.status_code == 200 and 'class="error"' in html
    # Still the second page of the assigned employers, with its pager.
    assert html.count('<form method="post" action="/domains/') == 10 and 'aria-current="page"' in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_removing_an_employer_refuses_the_connection_test_of_its_administrations(users, login, acme, acme_admin,
                                                                                  method):
    """Nothing is asked of Loket for an employer the domain may no longer reach: the test page says why."""
    employer = AssignedEmployer.objects.get(domain=acme, number="1001")
    login(users["alice"]).post(reverse("portal:domain-employer-remove", args=[acme.pk, employer.pk]))
    with translation.override("nl"):
        page = getattr(login(users["carol"]), method)(reverse("loket:test"), {"administration": acme_admin.pk})
    refused = page.content.decode().split('data-testid="loket-test-refused"')[1].split("</p>")[0]
    assert "De werkgever 1001 / 812345678L01 is niet toegewezen aan het domein Acme" in refused
    assert 'data-testid="loket-test-run"' not in page.content.decode()
