"""Simulated Nmbrs REST API and identity service: `create_app(faults=None, redirect_uris=())`.

Serves, under any prefix (the connector's environment is `connectors.nmbrs_rest.environments.sandbox(prefix)`):
  /connect/authorize, /connect/token   the identity service (login `data.DEMO_USERNAME`/`DEMO_PASSWORD`,
                                       client `data.CLIENT_ID`/`CLIENT_SECRET`, redirect URIs registered)
  /api/...                             the REST reads and document tasks (key `data.SUBSCRIPTION_KEY`)
  /_faults                             fault control (sandbox.faults.control_app)
`app.state` (state.RestState) holds the switches: polls_before_ready, never_ready, burst_calls,
withheld_scopes, revoke_grants(), and the payroll world of the SOAP sandbox (`state.payroll`).
"""

from sandbox.nmbrs_rest.app import create_app

__all__ = ["create_app"]
