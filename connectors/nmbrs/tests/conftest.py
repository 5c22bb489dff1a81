"""This folder's fixtures are defined in fixtures.py (integrations/nmbrs/tests/ uses them too)."""

from connectors.nmbrs.tests.fixtures import (  # noqa: F401 - fixtures
    base_url,
    client,
    make_client,
    nmbrs_app,
    nmbrs_sandbox_server,
    nmbrs_server,
    source,
    today,
)
