"""Hardened defaults: CSP, no caching of pages with payroll data or credentials, session lifetime,
no development keys outside DEBUG, and a local run that listens on loopback only."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.test_url_matrix import MATRIX
from tests.url_inventory import ADMIN, ROLES, make_world

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def world(users, acme, bakkerij, acme_admin, bakkerij_admin):
    return make_world(users, acme, bakkerij, acme_admin, bakkerij_admin)


def pages(world, client):
    """Every page alice (portal administrator) can open, rendered."""
    client.force_login(world.users["alice"])
    for name, (get_expectation, _post) in MATRIX.items():
        if get_expectation[ROLES.index("alice")] == "ok" and name not in ("sandbox", ADMIN):
            response = client.get(world.url(name), follow=True)
            if "html" in response.get("Content-Type", ""):
                yield name, response


@pytest.mark.django_db
def test_every_page_sends_a_strict_content_security_policy_and_no_store(world, client):
    seen = 0
    for name, response in pages(world, client):
        policy = response.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, name
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, name
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, name
        assert "no-store" in response.get("Cache-Control", ""), name
        assert "private" in response.get("Cache-Control", ""), name
        seen += 1
    assert seen >= 20


@pytest.mark.django_db
def test_no_page_needs_inline_script_or_style(world, client):
    """What the policy would block in the browser: inline <script>, on…= handlers, style attributes."""
    for name, response in pages(world, client):
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), name
        assert not re.search(r"<[^>]+\sstyle\s*=", html), name
        assert "<style" not in html, name


@pytest.mark.django_db
def test_the_login_page_is_not_cached_either(client):
    response = client.get("/login/")
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def settings_value(name, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in ("SECRET_KEY", "SECRET_ENCRYPTION_KEYS", "DEBUG", "SANDBOX_ENABLED", "SESSION_LIFETIME_SECONDS")}
    base.update({"DJANGO_SETTINGS_MODULE": "payrollsync.settings", "PAYROLLSYNC_IGNORE_DOTENV": "1",
                 "DATABASE_URL": "sqlite:///:memory:"}, **env)
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True,
                          timeout=60)


def real_keys():
    return {"SECRET_KEY": "k" * 60, "SECRET_ENCRYPTION_KEYS": Fernet.generate_key().decode()}


def test_the_session_lasts_one_working_day_unless_configured():
    assert settings_value("SESSION_COOKIE_AGE", **real_keys()).stdout.strip() == str(8 * 3600)
    result = settings_value("SESSION_COOKIE_AGE", SESSION_LIFETIME_SECONDS="3600", **real_keys())
    assert result.stdout.strip() == "3600", result.stderr


def test_sandbox_mode_without_debug_refuses_the_built_in_development_keys():
    result = settings_value("SECRET_KEY", SANDBOX_ENABLED="on")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    result = settings_value("SECRET_ENCRYPTION_KEYS", SANDBOX_ENABLED="on", SECRET_KEY="k" * 60)
    assert result.returncode != 0 and "SECRET_ENCRYPTION_KEYS" in result.stderr
    assert settings_value("SANDBOX_ENABLED", SANDBOX_ENABLED="on", **real_keys()).stdout.strip() == "True"
    # The local run (`make run`: DEBUG on) keeps working without any key.
    assert settings_value("SANDBOX_ENABLED", SANDBOX_ENABLED="on", DEBUG="on").returncode == 0


def test_make_run_listens_on_loopback_unless_told_otherwise():
    from portal.management.commands.run_sandbox import Command

    parser = Command().create_parser("manage.py", "run_sandbox")
    assert parser.parse_args([]).address == "127.0.0.1:8000"
    dry = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert "run_sandbox --address 127.0.0.1:" in dry and "0.0.0.0" not in dry
