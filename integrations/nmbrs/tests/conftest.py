"""Fixtures for the portal's Nmbrs side (views, forms): the connector's sandbox fixtures, the portal
pointed at that sandbox, and the named people of tests/people.py."""

from __future__ import annotations

import pytest

from connectors.nmbrs.tests.fixtures import (  # noqa: F401 - the connector's sandbox fixtures
    base_url,
    client,
    make_client,
    nmbrs_app,
    nmbrs_sandbox_server,
    nmbrs_server,
    source,
    today,
)

# The named people (tests/people.py). Not tests/conftest.py's `login`: here `client` is the Nmbrs client.
from tests.people import acme, acme_admin, bakkerij, bakkerij_admin, users  # noqa: F401


@pytest.fixture
def login(db):
    """login(user) -> a Django test client logged in as `user` (one per call: several users per test)."""
    from django.test import Client

    def as_user(user, language=None):
        web = Client()
        web.force_login(user)
        if language:
            from portal.languages import choose_language

            choose_language(user, language)  # the person's stored choice, as their profile page sets it
        return web

    return as_user


@pytest.fixture
def portal_nmbrs(settings, base_url):  # noqa: F811 - an imported fixture
    """The portal talks to the sandbox served over HTTP."""
    settings.NMBRS_ENVIRONMENT = base_url
    return base_url
