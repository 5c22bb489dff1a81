"""Loket.nl payroll source: OAuth (oauth.py, tokens.py), REST client (client.py), fetchers of
payslips, journal runs and wage tax returns (fetchers.py, mapping.py) and "test connection" (checks.py).

The portal's views, forms and models live beside these (the lead's part) and use only the public
names below.
"""

from connectors.loket.administrations import LoketAdministration, find_administration
from connectors.loket.checks import ConnectionCheck, check_connection
from connectors.loket.client import LoketClient, LoketFile
from connectors.loket.environments import ACCEPTANCE, PRODUCTION, LoketEnvironment, environment
from connectors.loket.fetchers import LoketSource
from connectors.loket.oauth import LoketOAuth, TokenSet, parse_callback
from connectors.loket.tokens import MemoryTokenProvider, refresh_rotating

__all__ = [
    "ACCEPTANCE", "PRODUCTION", "ConnectionCheck", "LoketAdministration", "LoketClient", "LoketEnvironment",
    "LoketFile", "LoketOAuth", "LoketSource", "MemoryTokenProvider", "TokenSet", "check_connection",
    "environment", "find_administration", "parse_callback", "refresh_rotating",
]
