"""A wrong setting stops the start with one sentence in the portal's language and no traceback: Dutch by
default, English with PORTAL_LANGUAGE=en (what `make run PORTAL_LANGUAGE=en` hands its commands) or a
command's `--language en`. Before, these were English (the keys, the proxies), and a value that was no
number ended in a Python traceback ("invalid literal for int()")."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from payrollsync.setting_errors import startup_language

ROOT = Path(__file__).resolve().parent.parent
KEPT_OUT = ("SECRET_KEY", "SECRET_ENCRYPTION_KEYS", "DEBUG", "SANDBOX_ENABLED", "DATABASE_URL", "PORTAL_LANGUAGE",
            "SECURE_SSL_REDIRECT", "CACHE_URL")


def start(*args, **extra_env):
    """manage.py as a person runs it (`make run` runs migrate first), with a local run's settings."""
    env = {k: v for k, v in os.environ.items() if k not in KEPT_OUT}
    env.update({"DJANGO_SETTINGS_MODULE": "payrollsync.settings", "PAYROLLSYNC_IGNORE_DOTENV": "1", "DEBUG": "on",
                "SANDBOX_ENABLED": "on", "DATABASE_URL": "sqlite:///:memory:"}, **extra_env)
    result = subprocess.run([sys.executable, "manage.py", *(args or ["migrate", "--noinput"])], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr.strip()


def test_a_value_that_is_no_number_is_named_in_dutch_by_default_and_in_english_when_asked():
    assert start(IMPORT_RETRY_SECONDS="soon") == (
        "Het portaal start niet: IMPORT_RETRY_SECONDS moet een geheel getal zijn, niet “soon”.")
    assert start(YUKI_TIMEOUT="abc", PORTAL_LANGUAGE="en") == (
        "The portal does not start: YUKI_TIMEOUT must be a number, not “abc”.")
    assert start("import_now", "--language", "en", LOGIN_MAX_FAILURES="five") == (
        "The portal does not start: LOGIN_MAX_FAILURES must be a whole number, not “five”.")


def test_an_address_that_cannot_be_read_is_named_without_its_value():
    """A database address holds a password: the sentence names the variable only."""
    said = start(DATABASE_URL="postgres://portal:geheim-wachtwoord@db:poort/portal")
    assert said == ("Het portaal start niet: DATABASE_URL is niet te lezen: de tabel met variabelen in de README "
                    "laat zien hoe de waarde eruitziet.")
    assert "geheim" not in said


def test_the_deployment_refusals_speak_the_language_asked_for():
    production = {"DEBUG": "off", "SANDBOX_ENABLED": "off", "ALLOWED_HOSTS": "portal.example.nl"}
    assert start("check", **production, SECRET_KEY="kort") == (
        "Het portaal start niet: Geef SECRET_KEY een willekeurige waarde van ten minste 50 tekens.")
    assert start("check", **production, SECRET_KEY="kort", PORTAL_LANGUAGE="en") == (
        "The portal does not start: Set SECRET_KEY to a random value of at least 50 characters.")
    assert start(TRUSTED_PROXY_ADDRESSES="10.0.0.1,proxy.intern", PORTAL_LANGUAGE="en") == (
        "The portal does not start: TRUSTED_PROXY_ADDRESSES holds “proxy.intern”, which is not an IP address "
        "or network.")
    assert start(METRICS_ENABLED="on", METRICS_TOKEN="kort", PORTAL_LANGUAGE="en").startswith(
        "The portal does not start: METRICS_ENABLED is on, but METRICS_TOKEN is too short: choose a random value")


@pytest.mark.parametrize(("argv", "environment", "language"), [
    (["manage.py", "migrate"], {}, "nl"),
    (["manage.py", "migrate"], {"PORTAL_LANGUAGE": "en"}, "en"),
    (["manage.py", "import_now", "--language", "en"], {}, "en"),
    (["manage.py", "import_now", "--language=nl"], {"PORTAL_LANGUAGE": "en"}, "nl"),  # the command line wins
    (["manage.py", "migrate"], {"PORTAL_LANGUAGE": "de"}, "nl"),  # a language the portal does not speak
])
def test_the_start_up_language(argv, environment, language):
    assert startup_language(argv, environment) == language
