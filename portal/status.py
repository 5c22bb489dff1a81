"""The connection state of an administration's payroll source, in words for the screens."""

from portal.effective import EffectiveSettings
from portal.sources.registry import source_of


def connection_state(effective: EffectiveSettings) -> dict:
    """{'ok': bool, 'label': text, 'origin': 'portal'|'administration'} for the dashboard."""
    return source_of(effective.administration).connection_state(effective)
