"""Payroll sources: the protocol the engine talks to (base.py) and the registry of sources (registry.py)."""

from portal.sources.base import CheckLine, Fetched, FetchSession, PayrollSource, Plan, Slot, SourceUnavailable
from portal.sources.registry import all_sources, get, source_choices, source_of

__all__ = ["CheckLine", "FetchSession", "Fetched", "PayrollSource", "Plan", "Slot", "SourceUnavailable",
           "all_sources", "get", "source_choices", "source_of"]
