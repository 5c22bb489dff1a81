"""Account rules: the portal always keeps an active administrator; read-only roles trigger no vendor writes."""

import pytest
from django.urls import reverse

from portal.models import PortalMembership, PortalRole
from tests.people import make_user

pytestmark = pytest.mark.django_db


def user_form(user, **changes):
    membership = PortalMembership.objects.filter(user=user).first()
    data = {"username": user.username, "first_name": "", "last_name": "", "email": user.email,
            "is_active": "on", "portal_role": membership.role if membership else "", "password": ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_administrator_cannot_deactivate_their_own_account(users, client):
    alice = users["alice"]
    client.force_login(alice)
    response = client.post(reverse("portal:user-edit", args=[alice.pk]), user_form(alice, is_active=None))
    assert response.status_code == 200
    assert "eigen account niet uitschakelen" in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active


def test_the_last_active_administrator_cannot_be_demoted_or_deactivated_by_another(users, client):
    alice = users["alice"]
    second = make_user("frank", PortalRole.ADMINISTRATOR)
    client.force_login(second)
    # With two administrators, frank may deactivate alice ...
    response = client.post(reverse("portal:user-edit", args=[alice.pk]), user_form(alice, is_active=None))
    assert response.status_code == 302
    # ... and then nobody may deactivate or demote frank, the last one: not by editing him ...
    PortalMembership.objects.filter(user=alice).update(role=PortalRole.BACKOFFICE)
    alice.is_active = True
    alice.save()
    client.force_login(second)
    for change in ({"is_active": None}, {"portal_role": PortalRole.BACKOFFICE}, {"portal_role": ""}):
        response = client.post(reverse("portal:user-edit", args=[second.pk]), user_form(second, **change))
        assert response.status_code == 200, change
    second.refresh_from_db()
    assert second.is_active and second.portal_membership.role == PortalRole.ADMINISTRATOR


def test_an_inactive_administrator_does_not_count(users):
    from portal.permissions import would_leave_no_administrator

    alice = users["alice"]
    dormant = make_user("gina", PortalRole.ADMINISTRATOR)
    dormant.is_active = False
    dormant.save()
    assert would_leave_no_administrator(alice, role=PortalRole.BACKOFFICE, is_active=True)
    assert would_leave_no_administrator(alice, role=PortalRole.ADMINISTRATOR, is_active=False)
    assert not would_leave_no_administrator(alice, role=PortalRole.ADMINISTRATOR, is_active=True)
    assert not would_leave_no_administrator(dormant, role=None, is_active=False)


def test_portal_backoffice_cannot_test_an_administrations_loket_connection(users, acme_admin, client):
    """A test may rotate tokens or mark a connection broken: read-only access does not allow it."""
    client.force_login(users["bob"])
    assert client.post(reverse("loket:test"), {"administration": acme_admin.pk}).status_code == 403
    assert client.get(reverse("loket:test"), {"administration": acme_admin.pk}).status_code == 200
    client.force_login(users["carol"])
    assert client.post(reverse("loket:test"), {"administration": acme_admin.pk}).status_code == 200
