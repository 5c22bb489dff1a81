"""This folder's fixtures: the portal's Nmbrs REST side (fixtures.py, which tests/browser/ uses too), the
connector's REST sandbox (connectors/nmbrs_rest/tests/fixtures.py), the engine's Yuki and Nmbrs SOAP sandboxes
(tests/sandboxes.py) and the named people (tests/people.py): this folder cannot see tests/conftest.py."""

from connectors.nmbrs_rest.tests.fixtures import clock, rest_app, rest_sandbox_server  # noqa: F401 - fixtures
from integrations.nmbrs_rest.tests.fixtures import one_world, portal_rest_connection, rest_server  # noqa: F401
from tests.people import acme, acme_admin, bakkerij, bakkerij_admin, users  # noqa: F401 - fixtures
from tests.sandboxes import eager_celery, nmbrs, sandbox_servers, yuki  # noqa: F401 - fixtures
