"""Nmbrs REST's Django settings, from the environment (the README's table of variables), merged in by
portal.sources.registry.environment_settings. Imported before Django is set up: nothing but the environment."""

from __future__ import annotations


def from_environment(env, *, sandbox_enabled: bool) -> dict:
    # 'live' (Nmbrs), 'sandbox' (ours, mounted in this portal) or a sandbox's URL (integrations/nmbrs_rest/access.py).
    return {"NMBRS_REST_ENVIRONMENT": env.str("NMBRS_REST_ENVIRONMENT",
                                              default="sandbox" if sandbox_enabled else "live")}
