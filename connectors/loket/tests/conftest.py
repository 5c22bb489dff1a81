"""This folder's fixtures are defined in fixtures.py (integrations/loket/tests/ uses them too)."""

from connectors.loket.tests.fixtures import (  # noqa: F401 - fixtures
    app,
    client,
    env,
    korenschoof,
    loket_sandbox_server,
    oauth,
    provider,
    server,
    sleeps,
    this_month,
    today,
    tokens,
)
