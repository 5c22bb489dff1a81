"""Seed data of the Yuki sandbox: two domains (a Dutch bookkeeping firm's clients), their
administrations and access keys. Tests, the benchmark and the portal's demo use these names.

An access key is created inside one administration and reaches what it was created for (docs/vendors/yuki.md),
so each key lists its domain and the administrations it may book into.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SandboxAdministration:
    id: str
    name: str
    domain_id: str
    coc_number: str = ""
    # GL accounts with their descriptions; the petty cash ones (100XX) matter for ImportStatement,
    # whose "Petty cash description" must equal the account's description (docs/vendors/yuki.md).
    gl_accounts: dict[str, str] = field(default_factory=dict)


@dataclass
class SandboxDomain:
    id: str
    name: str
    url: str = ""


@dataclass
class SandboxAccessKey:
    key: str
    domain_id: str
    administration_ids: tuple[str, ...]


@dataclass
class SandboxUser:
    user_name: str
    password: str
    domain_id: str
    administration_ids: tuple[str, ...]


STANDARD_GL_ACCOUNTS = {
    "10000": "Kas",
    "10010": "Kas filiaal",
    "11000": "Bank",
    "40000": "Bruto lonen",
    "40100": "Sociale lasten",
    "40200": "Pensioenlasten",
    "17100": "Af te dragen loonheffing",
    "17200": "Af te dragen pensioenpremie",
    "18000": "Netto lonen",
    # The accounts the Loket and Nmbrs sandboxes' payroll journals use (sandbox/loket/data.py,
    # sandbox/nmbrs/files.py): a firm has them in Yuki before it links payroll.
    "1600": "Af te dragen loonheffing",
    "1610": "Af te dragen pensioenpremie",
    "1620": "Te betalen nettolonen",
    "4000": "Brutolonen",
    "4100": "Sociale lasten werkgever",
    "4110": "Pensioenlasten werkgever",
}

DEMO_DOMAIN_ID = "2b8c4c41-5a0e-4d7c-9d0c-0f3a7d1e0001"
DEMO_ADMINISTRATION_ID = "8f7e6d5c-4b3a-4291-8e7f-6a5b4c3d0001"
DEMO_SECOND_ADMINISTRATION_ID = "8f7e6d5c-4b3a-4291-8e7f-6a5b4c3d0002"
DEMO_ACCESS_KEY = "c0ffee00-demo-4a11-b00k-000000000001"
DEMO_USER_NAME = "boekhouder@voorbeeld.nl"
DEMO_PASSWORD = "demo-wachtwoord"

OTHER_DOMAIN_ID = "2b8c4c41-5a0e-4d7c-9d0c-0f3a7d1e0002"
OTHER_ADMINISTRATION_ID = "8f7e6d5c-4b3a-4291-8e7f-6a5b4c3d0101"
OTHER_ACCESS_KEY = "c0ffee00-demo-4a11-b00k-000000000002"


def seed(state) -> None:
    """Load the seed domains, administrations, keys and user into a SandboxState."""
    state.register(
        domain=SandboxDomain(DEMO_DOMAIN_ID, "Bakkerij De Korenschoof", "korenschoof.yukiworks.nl"),
        administrations=[
            SandboxAdministration(DEMO_ADMINISTRATION_ID, "Bakkerij De Korenschoof B.V.", DEMO_DOMAIN_ID,
                                  coc_number="12345672", gl_accounts=dict(STANDARD_GL_ACCOUNTS)),
            SandboxAdministration(DEMO_SECOND_ADMINISTRATION_ID, "Korenschoof Holding B.V.", DEMO_DOMAIN_ID,
                                  coc_number="12345680", gl_accounts=dict(STANDARD_GL_ACCOUNTS)),
        ],
        access_key=DEMO_ACCESS_KEY,
        user=(DEMO_USER_NAME, DEMO_PASSWORD),
    )
    state.register(
        domain=SandboxDomain(OTHER_DOMAIN_ID, "Installatiebedrijf Van Dijk", "vandijk.yukiworks.nl"),
        administrations=[
            SandboxAdministration(OTHER_ADMINISTRATION_ID, "Installatiebedrijf Van Dijk B.V.", OTHER_DOMAIN_ID,
                                  coc_number="87654321", gl_accounts=dict(STANDARD_GL_ACCOUNTS)),
        ],
        access_key=OTHER_ACCESS_KEY,
    )
