"""Simulated vendors (Yuki, Loket, Nmbrs) served over real HTTP, for tests and the demo.

They fake logins and must never be reachable in production: the portal mounts them only when
settings.SANDBOX_ENABLED is on (see sandbox/mount.py).
"""
