import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from portal.languages import choose_language
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_login_lands_on_the_dashboard(users, client):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    assert response.status_code == 200


@pytest.mark.django_db
def test_repeated_failures_lock_the_login_even_with_the_right_password(users, client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200, "locked: no redirect"
    assert "te veel mislukte inlogpogingen" in response.content.decode().lower()
    # Another user from the same address is not locked.
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_success_resets_the_failure_count(users, client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(2):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
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
