"""Every management command, run with every option it declares, against the demo data and the sandboxes.

A command's option that no row below uses fails `test_every_declared_option_is_run`: a new option comes
with a row here. Each row runs the command as a person types it (the arguments go through its parser) and
says what must happen: it finishes ("ok"), or it refuses with a clear message ("refused": a CommandError,
never a traceback). The sandboxes answer like the vendors, so a check really reaches Loket, Nmbrs and Yuki.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand
from django.utils import translation

from portal.models import Administration, Domain
from tests.i18n.language_check import foreign_words

# Options every command has from Django itself (tested by tests/test_command_help.py and
# tests/test_command_language.py): not the commands' own.
DJANGO_OPTIONS = {option for action in BaseCommand().create_parser("manage.py", "x")._actions
                  for option in action.option_strings}

# run_sandbox starts a web server, a worker and beat and runs until stopped: tests/test_run_sandbox.py starts
# it with its one option (--address) in a process of its own and stops it.
RUN_ELSEWHERE = {"run_sandbox": "tests/test_run_sandbox.py"}

ADMINISTRATION = "Bakkerij De Korenschoof B.V."
# (command, arguments, outcome, words the output or refusal must hold)
MATRIX = [
    ("check_connections", [], "ok", "Loket: "),
    ("check_connections", ["--no-yuki"], "ok", "Loket: "),
    ("check_connections", ["--no-yuki", "--language", "en"], "ok", "Payroll administration"),
    ("check_connections", ["--deep", "--administration", ADMINISTRATION], "ok", ADMINISTRATION),
    ("check_connections", ["--deep", "--administration", ADMINISTRATION, "--period", "2026-11"], "ok", "2026"),
    ("check_connections", ["--deep", "--administration", "Korenschoof Holding B.V.", "--sample", "{tmp}"], "ok",
     "{tmp}"),
    ("check_connections", ["--period", "2026-11"], "refused", "--deep"),
    ("check_connections", ["--deep"], "refused", "--administration"),
    ("create_admin", ["beheerder", "--email", "beheer@example.nl", "--password", "lang-genoeg-wachtwoord-1"], "ok",
     "beheerder"),
    ("create_admin", ["admin", "--reset"], "ok", "admin"),
    ("create_admin", ["admin"], "refused", "admin"),
    ("create_admin", ["manager", "--language", "en"], "ok", "manager"),
    ("healthcheck", [], "exit 1", "worker"),  # no worker or beat runs beside the tests: named, exit 1
    ("healthcheck", ["database", "cache"], "ok", '"database": "OK"'),
    ("healthcheck", ["database", "--language", "en"], "ok", '"database": "OK"'),
    ("healthcheck", ["--http", "127.0.0.1:1"], "exit 1", "127.0.0.1:1"),
    ("healthcheck", ["geen-controle"], "refused", "geen-controle"),
    ("import_now", ["--dry-run", "--administration", ADMINISTRATION], "ok", ADMINISTRATION),
    ("import_now", ["--dry-run", "--administration", ADMINISTRATION, "--month", "2026-10"], "ok", ADMINISTRATION),
    ("import_now", ["--queue", "--administration", "Korenschoof Holding B.V."], "ok", "Korenschoof Holding B.V."),
    ("import_now", ["--administration", "Onbekend"], "refused", "Onbekend"),
    ("import_now", ["--dry-run", "--language", "en"], "ok", "Korenschoof Holding B.V."),
    # The command's summary speaks the command's language, though the run stored its result in the portal's.
    ("import_now", ["--administration", ADMINISTRATION, "--language", "en"], "ok", "documents fetched, "),
    ("import_now", ["--dry-run", "--administration", ADMINISTRATION, "--language", "en"], "ok", "Dry run: "),
    ("rotate_secrets", [], "ok", ""),
    ("rotate_secrets", ["--language", "en"], "ok", ""),
    ("seed_demo", [], "ok", "Korenschoof"),
    ("seed_demo", ["--language", "en"], "ok", "Korenschoof"),
]


def portal_commands() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app == "portal")


def own_options(command: str) -> set[str]:
    """The command's own options, and its positional arguments by name ("<username>")."""
    parser = load_command_class("portal", command).create_parser("manage.py", command)
    options = set()
    for action in parser._actions:
        if action.option_strings:
            options |= set(action.option_strings) - DJANGO_OPTIONS
        else:
            options.add(f"<{action.dest}>")
    return options


def used_options(command: str) -> set[str]:
    used = set()
    for name, args, _outcome, _words in MATRIX:
        if name == command:
            used |= {arg for arg in args if arg.startswith("--")}
            if args and not args[0].startswith("-"):  # a positional argument first: the rows above name them
                used |= {option for option in own_options(command) if option.startswith("<")}
    return used


def test_every_declared_option_is_run():
    missing = {command: sorted(own_options(command) - used_options(command))
               for command in portal_commands() if command not in RUN_ELSEWHERE}
    assert not {command: unused for command, unused in missing.items() if unused}, \
        f"options no row of MATRIX runs: {missing}"


# The rows name months (--period 2026-11, --month 2026-10): the whole test lives at one moment after them,
# so a month is never "in the future" nor past the retention period, whatever day the suite runs.
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def demo(clock, transactional_db, yuki, nmbrs, loket, eager_celery, settings):
    """The demo data of `make run`, the portal's Loket access authorised at the sandbox."""
    from sandbox.demo import seed_demo_data
    from tests.support import authorise_portal_loket

    settings.SANDBOX_ENABLED = True
    seed_demo_data()
    authorise_portal_loket()
    call_command("create_admin", "admin", "--password", "het-eerste-wachtwoord-1", stdout=io.StringIO())


@pytest.mark.parametrize(("command", "args", "outcome", "expected"), MATRIX,
                         ids=[" ".join([row[0], *row[1]]) for row in MATRIX])
def test_command_with_options(demo, command, args, outcome, expected, tmp_path):
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    expected = expected.replace("{tmp}", str(tmp_path))
    out = io.StringIO()
    with translation.override("nl"):
        if outcome == "refused":
            with pytest.raises(CommandError) as refused:
                call_command(command, *args, stdout=out, stderr=out, no_color=True)
            assert expected in str(refused.value)
            return
        if outcome == "exit 1":
            with pytest.raises(SystemExit) as stopped:
                call_command(command, *args, stdout=out, stderr=out, no_color=True)
            assert stopped.value.code == 1
            assert expected in out.getvalue() and "Traceback" not in out.getvalue(), out.getvalue()
            return
        call_command(command, *args, stdout=out, stderr=out, no_color=True)
    assert expected in out.getvalue(), out.getvalue()
    assert "Traceback" not in out.getvalue()
    if "--language" in args:  # "--language en" prints no Dutch (import_now printed "documenten opgehaald")
        names = [*Domain.objects.values_list("name", flat=True), *Administration.objects.values_list("name", flat=True)]
        # A document's title and file name are the source's: "would book payslip ...: <title> -> Yuki ...".
        # So is what is quoted ("Found 'Van Dijk personeel'").
        said = re.sub(r"(?m)^(\s*would book [^:]*:).*?( -> )", r"\1\2", out.getvalue())
        said = re.sub(r"'[^'\n]*'", " ", said)
        assert not foreign_words(said, args[args.index("--language") + 1], names), out.getvalue()
