"""Fixtures for the portal's Nmbrs side (views, forms): the connector's sandbox fixtures, the portal
pointed at that sandbox, and the named users of tests/conftest.py."""

from __future__ import annotations

import pytest

from connectors.nmbrs.tests import conftest as _connector

# The portal's named users and domains (tests/conftest.py), imported because integrations/ does not see
# that conftest. Its `login` fixture is not: here `client` is the Nmbrs client, so `login` is ours.
from tests.conftest import acme, acme_admin, bakkerij, bakkerij_admin, users  # noqa: F401

# The connector's sandbox fixtures, shared with its own tests (this folder does not see that conftest).
_served = _connector._served
base_url = _connector.base_url
client = _connector.client
make_client = _connector.make_client
nmbrs_app = _connector.nmbrs_app
nmbrs_server = _connector.nmbrs_server
source = _connector.source
today = _connector.today


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
def portal_nmbrs(settings, base_url):
    """The portal talks to the sandbox served over HTTP."""
    settings.NMBRS_ENVIRONMENT = base_url
    return base_url
