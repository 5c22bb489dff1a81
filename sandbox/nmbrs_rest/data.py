"""Seed of the Nmbrs REST sandbox: the registered app, the login, the subscription key, and UUIDs.

The payroll world is the SOAP sandbox's (sandbox/nmbrs/data.py and payroll.py): the same debtors,
companies (numbers 101, 102, 201, 301), runs (numbers per year) and employees (numbers per company),
so a move from SOAP to REST meets the same documents. REST ids are UUIDs (docs/vendors/nmbrs-rest.md):
each is derived from the SOAP integer, so it is the same on every start.
"""

from __future__ import annotations

import uuid

from connectors.nmbrs_rest import environments

CLIENT_ID = environments.SANDBOX_CLIENT_ID
CLIENT_SECRET = environments.SANDBOX_CLIENT_SECRET
SUBSCRIPTION_KEY = environments.SANDBOX_SUBSCRIPTION_KEY  # a product subscription key
DEMO_USERNAME = "koppeling@demokantoor.nl"
DEMO_PASSWORD = "Nmbrs-Rest-Demo-2026"

CODE_TTL = 300  # "valid for 5 minutes" (Nmbrs' developer pages)
ACCESS_TOKEN_TTL = 3600

_NAMESPACE = uuid.UUID("6f1c3d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f")


def uid(kind: str, *parts: int | str) -> str:
    """The UUID of a SOAP-sandbox object, e.g. uid('company', 50001)."""
    return str(uuid.uuid5(_NAMESPACE, ":".join([kind, *map(str, parts)])))


def debtor_uid(debtor_id: int) -> str:
    return uid("debtor", debtor_id)


def company_uid(company_id: int) -> str:
    return uid("company", company_id)


def run_uid(run_id: int) -> str:
    return uid("run", run_id)


def employee_uid(company_id: int, number: int) -> str:
    return uid("employee", company_id, number)


def wage_tax_uid(wage_tax_id: int) -> str:
    return uid("wagetax", wage_tax_id)


def user_uid(username: str) -> str:
    return uid("user", username.lower())
