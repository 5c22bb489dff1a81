"""Loket's Django settings, from the environment (the README's table of variables). payrollsync/settings/
merges them in through the registry (portal.sources.registry.environment_settings); read them as
django.conf.settings.LOKET_*. Imported before Django is set up: nothing but the environment here."""

from __future__ import annotations


def from_environment(env, *, sandbox_enabled: bool) -> dict:
    return {
        "LOKET_ENVIRONMENT": env.str("LOKET_ENVIRONMENT", default="sandbox" if sandbox_enabled else "production"),
        "LOKET_CLIENT_ID": env.str("LOKET_CLIENT_ID", default=""),
        "LOKET_CLIENT_SECRET": env.str("LOKET_CLIENT_SECRET", default=""),
        # Where our Loket sandbox answers when LOKET_ENVIRONMENT=sandbox (default: mounted in this portal).
        "LOKET_SANDBOX_URL": env.str("LOKET_SANDBOX_URL", default=""),
    }
