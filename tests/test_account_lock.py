"""The lock per account across addresses (portal/account_lock.py): a slow spray from many addresses."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from portal.languages import choose_language
from portal.models import LoginFailure
from tests.people import PASSWORD, make_user

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PROXY = {"REMOTE_ADDR": "172.30.250.5"}


@pytest.fixture(autouse=True)
def rules(settings):
    settings.LANGUAGE_CODE = "nl"
    settings.TRUSTED_PROXY_ADDRESSES = ["172.30.250.0/24"]
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 8
    settings.LOGIN_ACCOUNT_WINDOW_SECONDS = 24 * 3600
    settings.LOGIN_ACCOUNT_LOCKOUT_SECONDS = 3600
    cache.clear()
    yield
    cache.clear()


def attempt(client, username, password, n, **extra):
    """One login through our proxy, from the n-th client address."""
    return client.post(reverse("login"), {"username": username, "password": password},
                       HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", **{**PROXY, **extra})


def spray(client, username, times, first=1):
    for n in range(first, first + times):
        assert attempt(client, username, "wrong", n).status_code == 200, "each address is below its own limit"


@pytest.mark.django_db
def test_a_spray_from_many_addresses_locks_the_account_and_tells_the_owner_and_the_administrators(
        users, client, mailoutbox):
    choose_language(users["carol"], "en")
    with time_machine.travel(START, tick=False):
        spray(client, "carol", 7)
        assert mailoutbox == []
        assert attempt(client, "carol", "wrong", 8).status_code == 200  # the 8th failure starts the lock
        response = attempt(client, "carol", PASSWORD, 9)
        assert response.status_code == 429, "the right password from yet another address is refused"
        assert "te veel mislukte inlogpogingen voor dit account" in response.content.decode().lower()
        assert "_auth_user_id" not in client.session
    # One e-mail to the owner (in her language), one to the portal administrator (Dutch); bob, portal
    # backoffice, is not told.
    assert sorted(mail.to[0] for mail in mailoutbox) == ["alice@example.nl", "carol@example.nl"]
    to_carol = next(mail for mail in mailoutbox if mail.to == ["carol@example.nl"])
    to_alice = next(mail for mail in mailoutbox if mail.to == ["alice@example.nl"])
    assert to_carol.subject == "Login locked for the account carol"
    assert "Your account carol had 8 failed login attempts within 24 hours" in to_carol.body
    assert to_alice.subject == "Inloggen geblokkeerd voor het account carol"
    assert "8 mislukte inlogpogingen" in to_alice.body and "03-2026" in to_alice.body
    # Other accounts are not affected.
    with time_machine.travel(START, tick=False):
        assert attempt(client, "dave", PASSWORD, 9).status_code == 302


@pytest.mark.django_db
def test_the_lock_ends_on_time_and_attempts_while_locked_do_not_count(users, client, mailoutbox):
    with time_machine.travel(START, tick=False) as clock:
        spray(client, "carol", 8)
        for n in range(20, 30):  # refused without a password check: not counted, the lock does not grow
            assert attempt(client, "carol", "wrong", n).status_code == 429
        assert LoginFailure.objects.filter(username="carol").count() == 8
        clock.shift(timedelta(minutes=59))
        assert attempt(client, "carol", PASSWORD, 40).status_code == 429
        clock.shift(timedelta(minutes=2))
        assert attempt(client, "carol", PASSWORD, 41).status_code == 302, "an hour after the last failure"
    assert len(mailoutbox) == 2, "told once per lock"


@pytest.mark.django_db
def test_failures_older_than_the_window_do_not_count(users, client):
    with time_machine.travel(START, tick=False) as clock:
        spray(client, "carol", 7)
        clock.shift(timedelta(hours=24, seconds=1))
        spray(client, "carol", 7, first=100)
        assert attempt(client, "carol", PASSWORD, 200).status_code == 302
    assert LoginFailure.objects.filter(username="carol").count() == 7, "the older ones are gone"


@pytest.mark.django_db
def test_look_alike_spellings_count_for_one_account(users, client):
    with time_machine.travel(START, tick=False):
        for n, spelling in enumerate(["carol", "CAROL", "ｃａｒｏｌ", "Carol"] * 2, start=1):
            attempt(client, spelling, "wrong", n)
        assert attempt(client, "carol", PASSWORD, 50).status_code == 429


@pytest.mark.django_db
def test_a_name_that_is_no_account_is_locked_alike_but_nobody_is_mailed(users, client, mailoutbox):
    with time_machine.travel(START, tick=False):
        spray(client, "nobody", 8)
        assert attempt(client, "nobody", "wrong", 60).status_code == 429
    assert mailoutbox == []


@pytest.mark.django_db
def test_without_an_email_address_only_the_administrators_are_told(users, client, mailoutbox):
    make_user("frank").__class__.objects.filter(username="frank").update(email="")
    with time_machine.travel(START, tick=False):
        spray(client, "frank", 8)
    assert [mail.to for mail in mailoutbox] == [["alice@example.nl"]]


@pytest.mark.django_db
def test_from_an_untrusted_peer_a_spray_is_one_address_and_locked_by_the_pair(users, client, mailoutbox):
    """Before: with gunicorn published and TRUSTED_PROXIES=1, each X-Forwarded-For was a new client."""
    with time_machine.travel(START, tick=False):
        for n in range(1, 13):
            attempt(client, "carol", "wrong", n, REMOTE_ADDR="198.51.100.23")
        for forwarded in (13, "::1"):
            response = client.post(reverse("login"), {"username": "carol", "password": PASSWORD},
                                   HTTP_X_FORWARDED_FOR=str(forwarded) if forwarded == "::1" else f"203.0.113.{forwarded}",
                                   REMOTE_ADDR="198.51.100.23")
            assert response.status_code == 429
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"198.51.100.23"}
