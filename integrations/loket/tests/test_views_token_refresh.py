"""integrations.loket.access: stored tokens for the import engine, refreshed under a row lock, rotation-safe.

(docs/vendors/loket.md, "Authorisation"): refresh tokens are single-use. These tests run against the sandbox, whose
refresh tokens really die after one use, so a lost or doubled refresh shows up as invalid_grant.
"""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from connectors.loket import endpoints
from connectors.loket.errors import ConnectionBroken, InvalidGrant, LoketError
from connectors.loket.oauth import LoketOAuth
from integrations.loket import access as loket_access
from integrations.loket.models import LoketConnection
from integrations.loket.tests.flow import connect_through_portal, nl
from portal.effective import effective_settings
from portal.models import Notice
from portal.models.connections import ConnectionStatus
from portal.scheduling import blocking_reason

pytestmark = pytest.mark.django_db


def token_calls(app) -> int:
    return app.faults.calls.get("loket:POST /oauth/token", 0)


def expire_stored_access_token(connection):
    LoketConnection.objects.filter(pk=connection.pk).update(
        access_token_expires_at=timezone.now() - timedelta(seconds=1))


def test_a_valid_stored_access_token_is_used_as_is(portal_connection, app):
    before = token_calls(app)
    provider = loket_access.token_provider_for(portal_connection)
    assert provider() == portal_connection.access_token
    assert provider() == portal_connection.access_token
    assert token_calls(app) == before


def test_within_the_leeway_the_token_is_refreshed_and_the_new_pair_stored(portal_connection, app):
    LoketConnection.objects.filter(pk=portal_connection.pk).update(
        access_token_expires_at=timezone.now() + timedelta(seconds=30))  # inside the 60 s leeway
    old_refresh = portal_connection.refresh_token
    access = loket_access.token_provider_for(portal_connection)()
    stored = LoketConnection.objects.get(pk=portal_connection.pk)
    assert access == stored.access_token != portal_connection.access_token
    assert stored.refresh_token != old_refresh
    assert stored.refresh_token in app.state.refresh_tokens and old_refresh not in app.state.refresh_tokens
    assert stored.access_token_expires_at > timezone.now() + timedelta(minutes=50)
    assert app.state.user_of(access) is not None


def test_the_client_refreshes_after_a_401_and_repeats_the_call(portal_connection, app):
    app.state.expire_access_tokens()  # Loket rejects the token although we think it is valid
    with loket_access.loket_client_for(portal_connection) as client:
        page = client.get_page(endpoints.ADMINISTRATIONS)
    assert page.total_size > 0
    stored = LoketConnection.objects.get(pk=portal_connection.pk)
    assert stored.access_token != portal_connection.access_token
    assert stored.status == ConnectionStatus.AUTHORISED


def test_a_rejected_refresh_token_breaks_the_connection_once_and_never_loops(portal_connection, app, users):
    app.state.revoke_refresh_tokens()
    expire_stored_access_token(portal_connection)
    with pytest.raises(ConnectionBroken):
        loket_access.token_provider_for(portal_connection)()
    stored = LoketConnection.objects.get(pk=portal_connection.pk)
    assert stored.status == ConnectionStatus.BROKEN
    reason = nl("Loket rejected the stored authorisation on %(when)s: the refresh token was used, expired or "
                "revoked")
    before_date, after_date = reason.split("%(when)s")
    assert stored.status_reason.startswith(before_date) and stored.status_reason.endswith(after_date)
    notice = Notice.objects.get(key=f"loket-broken-{portal_connection.pk}")
    assert notice.resolved_at is None and notice.link == "/settings/#loket"
    assert len(mail.outbox) == 1 and "alice@example.nl" in mail.outbox[0].to

    calls = token_calls(app)
    for _ in range(3):  # every later import: a clear refusal, no call to Loket, no new notice or mail
        with pytest.raises(ConnectionBroken) as refused:
            loket_access.token_provider_for(portal_connection)(force_refresh=True)
        assert stored.status_reason in refused.value.message
    assert token_calls(app) == calls
    notice.refresh_from_db()
    assert notice.repeats == 1 and len(mail.outbox) == 1


def test_imports_skip_a_broken_connection_with_the_reason(portal_connection, acme_admin, app):
    app.state.revoke_refresh_tokens()
    expire_stored_access_token(portal_connection)
    with pytest.raises(ConnectionBroken):
        loket_access.token_provider_for(portal_connection)()
    reason = blocking_reason(effective_settings(acme_admin), manual=True)
    stored = LoketConnection.objects.get(pk=portal_connection.pk)
    assert stored.status_reason in reason


def test_an_administrations_broken_connection_is_notified_to_its_domain(web, users, acme_admin, loket_portal, app):
    acme_admin.loket_link.use_portal_access = False
    acme_admin.save()
    acme_admin.loket_link.save()
    web.force_login(users["carol"])
    connect_through_portal(web, acme_admin)
    acme_admin.refresh_from_db()
    connection = acme_admin.loket_link.own_connection
    app.state.revoke_refresh_tokens()
    expire_stored_access_token(connection)
    with pytest.raises(ConnectionBroken):
        loket_access.token_provider_for(connection)()
    notice = Notice.objects.get(key=f"loket-broken-{connection.pk}")
    assert notice.administration == acme_admin and notice.domain == acme_admin.domain
    assert "carol@example.nl" in mail.outbox[0].to


def test_after_invalid_grant_a_newer_stored_token_is_used(portal_connection, app, monkeypatch):
    """Another worker (or a lost answer we later recovered) rotated the token: re-read, don't break."""
    expire_stored_access_token(portal_connection)
    newer = app.state.issue_tokens("koppeling@demo-accountants.nl")
    real_refresh = LoketOAuth.refresh
    seen = []

    def refresh(self, refresh_token):
        seen.append(refresh_token)
        if len(seen) == 1:
            # The stored pair changes under us (same transaction, so the row lock does not stop it) ...
            row = LoketConnection.objects.get(pk=portal_connection.pk)
            row.refresh_token = newer["refresh_token"]
            row.save(update_fields=["refresh_token"])
            raise InvalidGrant("used", error="invalid_grant")  # ... and ours was used up
        return real_refresh(self, refresh_token)

    monkeypatch.setattr(LoketOAuth, "refresh", refresh)
    access = loket_access.token_provider_for(portal_connection)()
    assert seen == [portal_connection.refresh_token, newer["refresh_token"]]
    stored = LoketConnection.objects.get(pk=portal_connection.pk)
    assert stored.status == ConnectionStatus.AUTHORISED
    assert stored.access_token == access and app.state.user_of(access) is not None


def test_a_transient_failure_leaves_the_connection_alone(portal_connection, app):
    expire_stored_access_token(portal_connection)
    app.faults.add("http_error", vendor="loket", operation="POST /oauth/token", status=503)
    with pytest.raises(LoketError) as failed:
        loket_access.token_provider_for(portal_connection)()
    assert failed.value.transient
    stored = LoketConnection.objects.get(pk=portal_connection.pk)
    assert stored.status == ConnectionStatus.AUTHORISED
    assert stored.refresh_token == portal_connection.refresh_token
    assert loket_access.token_provider_for(portal_connection)() != portal_connection.access_token  # next try works


def test_a_connection_authorised_in_another_environment_needs_re_authorisation(portal_connection, settings):
    LoketConnection.objects.filter(pk=portal_connection.pk).update(environment="acceptance")
    expire_stored_access_token(portal_connection)
    with pytest.raises(ConnectionBroken):
        loket_access.token_provider_for(portal_connection)()
    stored = LoketConnection.objects.get(pk=portal_connection.pk)
    assert stored.status == ConnectionStatus.BROKEN and "acceptance" in stored.status_reason


def test_a_disconnected_connection_gives_no_token(portal_connection, app):
    loket_access.remove_authorisation(portal_connection)
    calls = token_calls(app)
    with pytest.raises(ConnectionBroken):
        loket_access.token_provider_for(portal_connection)()
    assert token_calls(app) == calls
    assert LoketConnection.objects.get(pk=portal_connection.pk).status == ConnectionStatus.NOT_CONNECTED


# --- several workers at once -------------------------------------------------------------------------

def run_workers(count: int, work) -> list:
    """`work()` in `count` threads released together, each with its own database connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work()
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_workers_finding_an_expired_token_refresh_it_once_and_share_the_new_one(portal_connection, app):
    expire_stored_access_token(portal_connection)
    before = token_calls(app)
    results = run_workers(8, lambda: loket_access.token_provider_for(portal_connection)())
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1  # all share the one new access token
    assert token_calls(app) - before == 1  # one refresh, not eight
    stored = LoketConnection.objects.get(pk=portal_connection.pk)
    assert stored.status == ConnectionStatus.AUTHORISED and stored.access_token == results[0]
    assert loket_access.oauth().refresh(stored.refresh_token).access_token  # the latest refresh token works


@pytest.mark.django_db(transaction=True)
def test_workers_forcing_refreshes_at_once_keep_the_connection_alive(portal_connection, app):
    """Each worker got a 401 and forces a refresh at the same moment: the rotations must chain."""
    app.state.expire_access_tokens()

    def work():
        with loket_access.loket_client_for(portal_connection) as client:
            return client.get_page(endpoints.ADMINISTRATIONS).total_size

    results = run_workers(8, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    stored = LoketConnection.objects.get(pk=portal_connection.pk)
    assert stored.status == ConnectionStatus.AUTHORISED
    assert app.state.user_of(stored.access_token) is not None
    assert list(app.state.refresh_tokens) == [stored.refresh_token]  # Loket's one live token is ours
    assert not Notice.objects.exists()
    assert loket_access.oauth().refresh(stored.refresh_token).access_token
