"""What every part of the settings reads first: the environment (and .env), DEBUG, the sandbox switch."""

from pathlib import Path

from payrollsync.setting_errors import Environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# django-environ, refusing a value it cannot read with a sentence in the portal's language.
env = Environment()
if (BASE_DIR / ".env").exists() and not env.bool("PAYROLLSYNC_IGNORE_DOTENV", default=False):
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# The sandboxes fake vendor logins: they are mounted only when this is on, never in production.
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=False)
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Amsterdam")
