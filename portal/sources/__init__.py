"""Payroll sources: the protocol the engine talks to (base.py) and the registry of sources (registry.py).

Nothing is imported here: the settings read the registry for the sources' apps, and that must not pull
in the engine's dependencies.
"""
