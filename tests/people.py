"""The named people and domains of the portal's tests: permission tests read like sentences.

alice  portal administrator         bob    portal backoffice
carol  backoffice of domain "Acme"  dave   backoffice of domain "Bakkerij"
erin   a user without any role

Helpers (make_user, assign, PASSWORD) and the fixtures built on them, defined here once. tests/conftest.py
and the conftests of integrations/<source>/tests/ (which do not see tests/conftest.py) import the fixtures.

The second login step (portal/two_factor.py) is satisfied once for all tests: a portal administrator made
by make_user has an authenticator app (its code: tests.support.second_step_code), and Client.force_login
(also behind the browser journeys' login) gives a session that passed the second step whenever the user
needs one (the root conftest.py). tests/test_two_factor.py logs in without this (FORCE_LOGIN_ONLY).
"""

import pytest
from django.contrib.auth import get_user_model

from portal.models import (
    Administration,
    AssignedEmployer,
    Domain,
    DomainMembership,
    PortalMembership,
    PortalRole,
)
from tests.support import give_authenticator

PASSWORD = "correct-horse-battery-staple"


def make_user(username, portal_role=None, domains=()):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD,
                                                email=f"{username}@example.nl")
    if portal_role:
        PortalMembership.objects.create(user=user, role=portal_role)
    if portal_role == PortalRole.ADMINISTRATOR:
        give_authenticator(user)
    for domain in domains:
        DomainMembership.objects.create(user=user, domain=domain)
    return user


def assign(domain, source, number, wage_tax_number="", name=""):
    """A portal administrator assigned this employer to the domain (the portal's shared access reaches it)."""
    return AssignedEmployer.objects.create(domain=domain, source=source, number=number,
                                           wage_tax_number=wage_tax_number, name=name or f"Employer {number}")


@pytest.fixture
def acme(db):
    return Domain.objects.create(name="Acme", yuki_domain_id="dom-acme", payroll_link_active=True)


@pytest.fixture
def bakkerij(db):
    return Domain.objects.create(name="Bakkerij", yuki_domain_id="dom-bakkerij", payroll_link_active=True)


@pytest.fixture
def acme_admin(acme):
    assign(acme, "loket", "1001", "812345678L01", "Acme B.V.")
    return Administration.objects.create(
        domain=acme, name="Acme B.V.", yuki_administration_id="adm-acme", yuki_access_key="acme-key-123",
        relation_code="1001", wage_tax_number="812345678L01",
    )


@pytest.fixture
def bakkerij_admin(bakkerij):
    assign(bakkerij, "loket", "2002", "987654321L02", "Bakkerij B.V.")
    return Administration.objects.create(
        domain=bakkerij, name="Bakkerij B.V.", yuki_administration_id="adm-bakkerij",
        yuki_access_key="bakkerij-key-456", relation_code="2002", wage_tax_number="987654321L02",
    )


@pytest.fixture
def users(acme, bakkerij):
    return {
        "alice": make_user("alice", PortalRole.ADMINISTRATOR),
        "bob": make_user("bob", PortalRole.BACKOFFICE),
        "carol": make_user("carol", domains=[acme]),
        "dave": make_user("dave", domains=[bakkerij]),
        "erin": make_user("erin"),
    }
