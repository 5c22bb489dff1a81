"""Simulated Nmbrs SOAP v3 (CompanyService, DebtorService): `create_app(faults=None)`.

Seed users, debtors and companies are in `sandbox.nmbrs.data` (e.g. `DEMO_USERNAME`, `DEMO_TOKEN`,
`DEMO_DOMAIN`); runs, wage tax returns and documents are generated per month up to today.
"""

from sandbox.nmbrs.app import create_app

__all__ = ["create_app"]
