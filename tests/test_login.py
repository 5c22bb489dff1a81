"""Login throttling (django-axes, keyed as portal/login_throttle.py says) and the account rules around it."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.languages import choose_language
from portal.login_throttle import client_address, username_key
from tests.people import PASSWORD

LOCKED = "te veel mislukte inlogpogingen"


@pytest.fixture(autouse=True)
def clean_cache(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_ADDRESSES = []
    settings.TRUSTED_PROXIES = 0
    cache.clear()
    yield
    cache.clear()


def fail(client, username, times, **extra):
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "wrong"}, **extra)
        assert response.status_code in (200, 429)


@pytest.mark.django_db
def test_login_lands_on_the_dashboard(users, client):
    """bob has no second login step (tests/test_two_factor.py has the logins with one)."""
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    assert response.status_code == 200


@pytest.mark.django_db
def test_repeated_failures_lock_the_login_even_with_the_right_password(users, client):
    fail(client, "alice", 3)
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429, "locked: no redirect"
    assert LOCKED in response.content.decode().lower()
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not locked.
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_success_resets_the_failure_count(users, client):
    fail(client, "bob", 2)
    assert client.post(reverse("login"), {"username": "bob", "password": PASSWORD}).status_code == 302
    client.logout()
    fail(client, "bob", 2)
    assert client.post(reverse("login"), {"username": "bob", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["ａｌｉｃｅ", "ALICE", "Ａlice", " alice"])
def test_look_alike_and_case_variants_of_a_locked_name_stay_locked(users, client, spelling):
    """Django logs 'ａｌｉｃｅ' (fullwidth) in as alice (NFKC): it must not get a counter of its own."""
    fail(client, "alice", 3)
    response = client.post(reverse("login"), {"username": spelling, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_under_look_alike_names_add_up(users, client):
    fail(client, "ａｌｉｃｅ", 1)
    fail(client, "ALICE", 1)
    fail(client, "alice", 1)
    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_client_cannot_lock_out_another(users, client, settings):
    settings.TRUSTED_PROXY_ADDRESSES = ["10.0.0.2"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail(client, "alice", 3, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    locked = client.post(reverse("login"), {"username": "alice", "password": PASSWORD},
                         HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert locked.status_code == 429
    other = client.post(reverse("login"), {"username": "alice", "password": PASSWORD},
                        HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert other.status_code == 302, "the real alice, from another address, still logs in"


@pytest.mark.django_db
def test_a_client_cannot_choose_its_address_with_the_header(users, client, settings):
    settings.TRUSTED_PROXY_ADDRESSES = ["10.0.0.0/24"]
    for n in range(3):  # a forged hop to the left of the one our proxy wrote changes nothing
        client.post(reverse("login"), {"username": "alice", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5", REMOTE_ADDR="10.0.0.2")
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    settings.TRUSTED_PROXY_ADDRESSES = []  # without a trusted proxy the header is not read at all
    for n in range(3):
        client.post(reverse("login"), {"username": "bob", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429


@pytest.mark.django_db
def test_a_client_that_reaches_gunicorn_directly_cannot_pick_an_address_per_attempt(users, client, settings):
    """The production profile of old: TRUSTED_PROXIES=1 and gunicorn published. Now only a connection from
    the proxy's own address makes the header count; 12 attempts from one outside peer, each with another
    X-Forwarded-For, are one client, and '::1' in the header unlocks nothing."""
    settings.TRUSTED_PROXY_ADDRESSES = ["172.30.250.0/24"]
    settings.AXES_FAILURE_LIMIT = 5
    outside = {"REMOTE_ADDR": "198.51.100.23"}
    for n in range(12):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}", **outside)
    for forwarded in ("203.0.113.200", "::1", "127.0.0.1", "172.30.250.3"):
        response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD},
                               HTTP_X_FORWARDED_FOR=forwarded, **outside)
        assert response.status_code == 429, forwarded
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("proxies, forwarded, remote, expected", [
    ([], "203.0.113.5", "10.0.0.2", "10.0.0.2"),
    (["10.0.0.2"], "203.0.113.5", "10.0.0.2", "203.0.113.5"),
    (["10.0.0.2"], "1.2.3.4, 203.0.113.5", "10.0.0.2", "203.0.113.5"),
    (["10.0.0.0/24"], "1.2.3.4, 203.0.113.5, 10.0.0.3", "10.0.0.2", "203.0.113.5"),
    (["10.0.0.2"], "", "10.0.0.2", "10.0.0.2"),
    (["10.0.0.2"], "not-an-address", "10.0.0.2", "10.0.0.2"),
    (["10.0.0.2"], " 2001:db8::1 ", "10.0.0.2", "2001:db8::1"),
    # A peer that is not our proxy: its header is not read, whatever it says.
    (["10.0.0.2"], "203.0.113.5", "198.51.100.7", "198.51.100.7"),
    (["10.0.0.2"], "::1", "198.51.100.7", "198.51.100.7"),
    (["10.0.0.0/24"], "203.0.113.5", "10.0.1.2", "10.0.1.2"),
    # A chain of our own proxies is walked past; what only the client wrote is never reached.
    (["10.0.0.0/24", "fd00::/8"], "192.0.2.1, 203.0.113.5, fd00::7, 10.0.0.9", "10.0.0.2", "203.0.113.5"),
    (["10.0.0.0/24"], "not-an-address, 10.0.0.9", "10.0.0.2", "10.0.0.9"),
    (["10.0.0.2"], "203.0.113.5", "::ffff:10.0.0.2", "203.0.113.5"),
    (["::1"], "203.0.113.5", "::1", "203.0.113.5"),
])
def test_client_address_reads_the_header_only_from_our_proxies(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXY_ADDRESSES = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_address(request) == expected


def test_a_proxy_count_without_addresses_stops_the_start(settings):
    """After an upgrade, TRUSTED_PROXIES=1 alone must not quietly mean something else: an error, with the fix."""
    from portal.checks import proxies_are_named_by_address

    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_ADDRESSES = 1, []
    [error] = proxies_are_named_by_address()
    assert error.id == "portal.E003" and "TRUSTED_PROXY_ADDRESSES" in error.hint
    settings.TRUSTED_PROXY_ADDRESSES = ["172.30.250.0/24"]
    assert [message.id for message in proxies_are_named_by_address()] == ["portal.W003"]
    settings.TRUSTED_PROXIES = 0
    assert proxies_are_named_by_address() == []


def test_username_key_is_what_django_logs_in_as():
    assert username_key(None, {"username": "ｔhr3"}) == username_key(None, {"username": "THR3"}) == "thr3"


@pytest.mark.django_db
def test_no_password_reset_by_email(users, client):
    """Product rule: an administrator sets a new password; no reset link is ever mailed or logged."""
    for path in ("/password_reset/", "/password_reset/done/", "/reset/MQ/set-password/", "/reset/done/"):
        assert client.get(path).status_code == 404
        assert client.post(path, {"email": "alice@example.nl"}).status_code in (403, 404)
    assert "beheerder" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_a_user_without_a_role_cannot_change_a_password(users, client):
    client.force_login(users["erin"])
    assert client.get("/password_change/").status_code == 403
    response = client.post("/password_change/", {"old_password": PASSWORD, "new_password1": "Another-pass-2026",
                                                 "new_password2": "Another-pass-2026"})
    assert response.status_code == 403
    users["erin"].refresh_from_db()
    assert users["erin"].check_password(PASSWORD)
    client.force_login(users["carol"])
    assert client.get("/password_change/").status_code == 200


def test_the_ui_is_dutch_whatever_the_browser_asks_and_english_on_the_persons_request(users, client):
    assert "Inloggen" in client.get(reverse("login")).content.decode()
    assert "Inloggen" in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies["django_language"] = "en"  # Django's own language cookie is not a way in either
    assert "Inloggen" in client.get(reverse("login")).content.decode()
    client.force_login(users["alice"])
    assert "Uitloggen" in client.get(reverse("portal:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    choose_language(users["alice"], "en")
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Log out" in page and "Uitloggen" not in page
    assert "Inloggen" in Client().get(reverse("login")).content.decode(), "another visitor: still Dutch"


@pytest.mark.django_db
def test_a_very_long_username_is_refused_not_a_crash(users, client):
    """Found by tests/test_fuzz_inputs.py: axes stores the name in 255 characters."""
    response = client.post(reverse("login"), {"username": "ａ" * 5000, "password": "x"})
    assert response.status_code == 200
