"""Production settings refuse to start without real keys; `check --deploy` is clean with them."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "payrollsync.settings",
    "PAYROLLSYNC_IGNORE_DOTENV": "1",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "ALLOWED_HOSTS": "portal.example.nl",
}


def run(args, **extra_env):
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "SECRET_ENCRYPTION_KEYS", "DEBUG", "SANDBOX_ENABLED", "DATABASE_URL",
                        "SECURE_SSL_REDIRECT", "PORTAL_LANGUAGE")}
    env.update(PRODUCTION, **extra_env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_refuses_to_start_without_a_secret_key():
    result = run(["check"], SECRET_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_refuses_to_start_without_an_encryption_key():
    result = run(["check"], SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "SECRET_ENCRYPTION_KEYS" in result.stderr


def test_check_deploy_is_clean_with_real_keys():
    result = run(["check", "--deploy", "--fail-level", "WARNING"],
                 SECRET_KEY=Fernet.generate_key().decode() + Fernet.generate_key().decode(),
                 SECRET_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sandbox_urls_do_not_exist_when_the_switch_is_off():
    code = ("import django; django.setup(); from django.urls import resolve, Resolver404\n"
            "try:\n    resolve('/sandbox/yuki/Accounting.asmx'); print('MOUNTED')\n"
            "except Resolver404:\n    print('ABSENT')")
    env = {k: v for k, v in os.environ.items() if k != "SANDBOX_ENABLED"}
    env.update(PRODUCTION, SECRET_KEY="k" * 60, SECRET_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "ABSENT", result.stderr
    env["SANDBOX_ENABLED"] = "on"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "MOUNTED", result.stderr


def test_refuses_the_placeholders_and_keys_that_are_not_fernet_keys():
    result = run(["check"], SECRET_KEY="change-me-" + "x" * 60, SECRET_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert result.returncode != 0 and "SECRET_KEY is nog de voorbeeldwaarde uit .env.example" in result.stderr
    result = run(["check"], SECRET_KEY="k" * 60, SECRET_ENCRYPTION_KEYS="not-a-fernet-key")
    assert result.returncode != 0 and "bevat een waarde die geen Fernet-sleutel is" in result.stderr


def test_a_too_short_metrics_token_stops_the_start_with_a_dutch_sentence_and_no_traceback():
    result = run(["migrate", "--noinput"], DEBUG="on", SANDBOX_ENABLED="on", DATABASE_URL="sqlite:///:memory:",
                 METRICS_ENABLED="on", METRICS_TOKEN="kort")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "Het portaal start niet: METRICS_ENABLED staat aan, maar METRICS_TOKEN is te kort: kies een "
        "willekeurige waarde van ten minste 20 tekens, bijvoorbeeld met: "
        "python -c 'import secrets; print(secrets.token_urlsafe(24))'")


def test_a_web_worker_outlives_the_yuki_calls_a_page_makes_while_the_person_waits():
    """Sending petty cash makes up to three Yuki calls in the request (session, Administrations, the import):
    gunicorn must not kill the worker halfway (its default is 30 s; a Yuki call may take YUKI_TIMEOUT)."""
    import runpy
    from pathlib import Path

    from django.conf import settings

    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert config["timeout"] > 3 * settings.YUKI_TIMEOUT
