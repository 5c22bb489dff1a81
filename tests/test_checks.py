"""Start-up checks: a push lease that does not outlast the push's hard time limit stops the portal and
the worker from starting (portal/checks.py), with words that say which setting to change."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from portal import tasks
from portal.checks import lease_outlasts_push
from tests.support import ROOT, outside_env


def test_the_default_lease_outlasts_the_push_time_limit():
    assert lease_outlasts_push() == []
    call_command("check")  # no error


@pytest.mark.parametrize("lease", [tasks.PUSH_TIME_LIMIT, tasks.PUSH_TIME_LIMIT - 1, 60])
def test_a_lease_not_longer_than_the_push_fails_the_check(settings, lease):
    settings.IMPORT_PUSH_LEASE_SECONDS = lease
    errors = lease_outlasts_push()
    assert {error.id for error in errors} == {"portal.E001"}
    assert f"IMPORT_PUSH_LEASE_SECONDS={lease}" in errors[0].msg
    assert f"({tasks.PUSH_TIME_LIMIT} s)" in errors[0].msg
    with pytest.raises(SystemCheckError, match="portal.E001"):
        call_command("check")


def test_a_push_without_a_hard_limit_fails_the_check(monkeypatch):
    monkeypatch.setattr(tasks.push_document, "time_limit", None)
    monkeypatch.setitem(tasks.push_document.app.conf, "task_time_limit", None)
    errors = lease_outlasts_push()
    assert [error.id for error in errors] == ["portal.E001"]
    assert "has no hard time limit" in errors[0].msg


def test_the_worker_refuses_to_start_with_a_short_lease(tmp_path):
    env = outside_env(DEBUG="on", SANDBOX_ENABLED="on", CELERY_BROKER_URL="filesystem://localhost/",
                      CELERY_BROKER_FOLDER=str(tmp_path / "broker"), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
                      IMPORT_PUSH_LEASE_SECONDS="120")
    result = subprocess.run([sys.executable, "-m", "celery", "-A", "payrollsync", "worker", "--pool=solo",
                             "--loglevel=warning"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "portal.E001: IMPORT_PUSH_LEASE_SECONDS=120 is not longer than" in result.stderr, result.stderr
    assert "ready" not in result.stdout + result.stderr


def test_a_push_time_limit_below_a_minute_fails_the_check(settings):
    settings.IMPORT_PUSH_TIME_LIMIT_SECONDS = 45
    assert "portal.E002" in {error.id for error in lease_outlasts_push()}


def test_a_shorter_push_time_limit_allows_a_shorter_lease(tmp_path):
    """The limit is a setting: a worker with a 60 s push and a 90 s lease starts (and reports the limit)."""
    env = outside_env(DEBUG="on", SANDBOX_ENABLED="on", CELERY_BROKER_URL="filesystem://localhost/",
                      CELERY_BROKER_FOLDER=str(tmp_path / "broker"), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
                      IMPORT_PUSH_LEASE_SECONDS="90", IMPORT_PUSH_TIME_LIMIT_SECONDS="60")
    code = "from portal import tasks; from portal.checks import lease_outlasts_push; " \
           "print(tasks.push_document.time_limit, tasks.push_document.soft_time_limit, lease_outlasts_push())"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1].split() == ["60", "30", "[]"], result.stdout + result.stderr
