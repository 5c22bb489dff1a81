"""This folder's fixtures are defined in fixtures.py (integrations/nmbrs_rest/tests/ and tests/browser/ use them too)."""

from connectors.nmbrs_rest.tests.fixtures import (  # noqa: F401 - fixtures
    client,
    clock,
    company,
    environment,
    make_client,
    oauth,
    rest_app,
    rest_sandbox_server,
    source,
    spec_failures,
    store,
)
