"""Every integer a form or query parameter accepts is bounded before it reaches the database
(portal.validators: parse_id, IdField, IdChoiceField, IdMultipleChoiceField; portal.views.access.id_or_404),
and no error report shows a password or secret a view received (portal.views.access.receives_secrets).

PostgreSQL compares an id beyond its bigint range without complaint, SQLite raises OverflowError (a 500
whose DEBUG page showed the new user's password): `no_id_beyond_the_database` makes any such query fail
here too, on every database.
"""

from __future__ import annotations

import contextlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.models import PortalSettings
from portal.validators import MAX_ID

pytestmark = pytest.mark.django_db
TOO_BIG = str(MAX_ID + 1)  # 9223372036854775808
SECRET = "Geheim-wachtwoord-8472!"


def _out_of_range(params) -> list:
    found = []
    for value in params if isinstance(params, (list, tuple)) else (params or {}).values():
        if isinstance(value, (list, tuple)):
            found += _out_of_range(value)
        elif isinstance(value, int) and not isinstance(value, bool) and not -MAX_ID - 1 <= value <= MAX_ID:
            found.append(value)
    return found


@contextlib.contextmanager
def no_id_beyond_the_database():
    """As SQLite: a query with an integer beyond 64 bits fails (OverflowError: Python int too large)."""

    def guard(execute, sql, params, many, context):
        if bad := _out_of_range(params):
            raise OverflowError(f"an integer beyond the database's range reached a query: {bad} in {sql[:200]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(guard):
        yield


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def test_a_new_user_with_a_domain_id_beyond_the_database_gets_a_dutch_error(users, login):
    """The finding: POST /users/new/ with backoffice_domains=9223372036854775808 gave a 500."""
    with no_id_beyond_the_database():
        response = login(users["alice"]).post(reverse("portal:user-create"), {
            "username": "frank", "password": SECRET, "backoffice_domains": [TOO_BIG], "is_active": "on"})
    assert response.status_code == 200
    assert "backoffice_domains" in response.context["form"].errors
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not get_user_model().objects.filter(username="frank").exists()
    assert SECRET not in response.content.decode(), "a password is never shown back"


@pytest.mark.parametrize("value", [TOO_BIG, "1" * 20, "9" * 40, "-" + TOO_BIG])
def test_every_id_a_form_or_query_takes_is_bounded_before_the_database(users, login, acme, acme_admin, value):
    web = login(users["alice"])
    requests = [
        ("post", reverse("portal:user-edit", args=[users["carol"].pk]),
         {"username": "carol", "backoffice_domains": [value], "is_active": "on"}),
        ("post", reverse("portal:administration-edit", args=[acme_admin.pk]), {"shared_employer": value}),
        ("get", reverse("portal:runs"), {"administration": value}),
        ("post", reverse("portal:import-bulk", args=[acme.pk]), {"administration": value}),
        ("get", reverse("loket:test"), {"administration": value}),
        ("get", reverse("loket:test"), {"employer": value}),
        ("post", reverse("loket:connect"), {"administration": value}),
        ("post", reverse("loket:disconnect"), {"administration": value}),
        ("post", reverse("portal:annual-documents"), {"year": value, "administration": value}),
        # An id in the path: Django's exact lookup finds no row for one beyond the field's range (no query).
        ("get", f"/administrations/{value.lstrip('-')}/", {}),
        ("get", f"/runs/{value.lstrip('-')}/", {}),
        ("post", f"/notices/{value.lstrip('-')}/dismiss/", {}),
    ]
    with no_id_beyond_the_database():
        for method, url, data in requests:
            response = getattr(web, method)(url, data)
            assert response.status_code in (200, 302, 400, 404), (url, data, response.status_code)


def test_an_nmbrs_company_id_beyond_the_database_is_refused(users, login, acme):
    from portal.models import Administration

    administration = Administration.objects.create(
        domain=acme, name="Acme Nmbrs", yuki_administration_id="adm-acme-nmbrs", yuki_access_key="k", source="nmbrs")
    with no_id_beyond_the_database():
        response = login(users["carol"]).post(reverse("nmbrs:companies", args=[administration.pk]),
                                              {"company_id": TOO_BIG})
    assert response.status_code == 200 and "company_id" in response.context["form"].errors
    administration.refresh_from_db()
    assert administration.nmbrs_link.company_id is None


# --- no error report shows a secret ------------------------------------------------------------------------

def _crash(*args, **kwargs):
    raise RuntimeError("a crash after the form was read")


def _secret_requests(users, acme, acme_admin):
    """(view module whose `render` crashes, URL, POST data carrying SECRET)."""
    return [
        ("portal.views.users", reverse("portal:user-create"),
         {"username": "", "password": SECRET}),
        ("portal.views.users", reverse("portal:user-edit", args=[users["carol"].pk]),
         {"username": "", "password": SECRET}),
        ("portal.views.administrations", reverse("portal:administration-edit", args=[acme_admin.pk]),
         {"name": "", "yuki_access_key": SECRET}),
        ("portal.views.administrations", reverse("portal:administration-create", args=[acme.pk]),
         {"name": "", "yuki_access_key": SECRET}),
        ("portal.views.portal_settings", reverse("portal:settings"),
         {"section": "nmbrs", "nmbrs-login_email": "", "nmbrs-api_token": SECRET}),
    ]


@pytest.mark.parametrize("index", range(5))
def test_no_error_report_shows_a_password_or_secret(users, acme, acme_admin, settings, monkeypatch, index):
    """With DEBUG on (and in the e-mail to ADMINS, which uses the same filter) a crash in a view that
    received a secret shows its POST parameters and the view's variables as stars."""
    import importlib

    PortalSettings.load()
    module, url, data = _secret_requests(users, acme, acme_admin)[index]
    monkeypatch.setattr(importlib.import_module(module), "render", _crash)
    settings.DEBUG = True
    web = Client(raise_request_exception=False)
    web.force_login(users["alice"])
    response = web.post(url, data)
    page = response.content.decode()
    assert response.status_code == 500 and "a crash after the form was read" in page
    assert SECRET not in page
    assert "********************" in page, "the parameters are listed, their values hidden"
