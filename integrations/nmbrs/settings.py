"""Nmbrs' Django settings, from the environment (the README's table of variables). payrollsync/settings/
merges them in through the registry (portal.sources.registry.environment_settings); read them as
django.conf.settings.NMBRS_*. Imported before Django is set up: nothing but the environment here."""

from __future__ import annotations


def from_environment(env, *, sandbox_enabled: bool) -> dict:
    # 'live', 'vendor-sandbox' (Nmbrs' own test environment), 'sandbox' (ours) or a URL (integrations/nmbrs/access.py).
    return {"NMBRS_ENVIRONMENT": env.str("NMBRS_ENVIRONMENT", default="sandbox" if sandbox_enabled else "live")}
