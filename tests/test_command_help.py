"""`manage.py <command> --help` of every portal command is wholly Dutch by default and wholly English with
--language en (or LANGUAGE_CODE="en"): our own help texts, and the texts Django and argparse bring along
("usage:", "show this help message and exit", --verbosity, --settings, ...), which have no Dutch
catalog of their own and are translated in ours (portal/management/base.py)."""

from __future__ import annotations

import argparse
import gettext
import inspect
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command, load_command_class
from django.core.management.base import BaseCommand
from django.test import override_settings
from django.utils import translation

from portal.management import base
from tests.i18n.language_check import foreign_words

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(path.stem for path in (ROOT / "portal/management/commands").glob("*.py") if path.stem != "__init__")

# What argparse and Django write in English when nobody translates them.
ENGLISH_BUILTINS = ("usage:", "options:", "positional arguments", "show this help message", "Show program's version",
                    "Verbosity level", "minimal output", "The Python path to a settings module", "If this isn't",
                    "A directory to add", "Display a full stack trace", "Don't colorize", "Force colorization",
                    "Skip system checks", "default:", "--settings SETTINGS")
DUTCH_BUILTINS = ("gebruik:", "opties:", "positionele argumenten", "toon deze hulptekst", "versienummer",
                  "Hoeveelheid uitvoer", "instellingenmodule", "standaard:", "INSTELLINGEN")
# More words than the page check's list: the ones help texts use.
ENGLISH_HELP_WORDS = {"show", "help", "message", "exit", "usage", "options", "verbosity", "level", "output", "skip",
                      "checks", "display", "full", "stack", "trace", "directory", "default", "instead", "only",
                      "each", "every", "call", "calls", "answer", "write", "name", "month", "queue", "book",
                      "random", "reset", "user", "key", "newest", "create", "local", "server", "web", "any", "ask"}
DUTCH_HELP_WORDS = {"toon", "hulptekst", "stop", "gebruik", "opties", "uitvoer", "standaard", "elke", "elk", "map",
                    "maand", "wachtrij", "boek", "willekeurig", "gebruiker", "sleutel", "nieuwste", "maak", "lokaal",
                    "webserver", "vraag", "deze", "zonder", "kleur", "controle", "controles"}


def help_text(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", *argv]).execute()
    assert exit_.value.code in (None, 0)
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def prose(text: str) -> str:
    """The help without what is typed as is: option names (--no-yuki), choices ({nl,en}), placeholders in
    capitals (JJJJ-MM, PYTHONPATH), names of settings and variables, paths, and the command's name."""
    text = re.sub(r"manage\.py \w+", " ", text)
    text = re.sub(r"(?<![\w])--?[\w-]+", " ", text)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\b[A-Z][A-Z0-9_:-]*[A-Z0-9]\b", " ", text)
    text = re.sub(r"\"[^\"]*[./][^\"]*\"|/[\w/]+/", " ", text)  # example paths: "project.settings.main", /health/
    text = re.sub(r"database, broker, cache, worker, beat, wsdl_cache", " ", text)  # the names of the checks
    text = re.sub(r"\bnl, en\b|(?<=: )(nl|en)(?=\))", " ", text)  # the language codes
    return text


def words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[A-Za-zÀ-ÿ]+", text)}


def assert_dutch_help(text: str):
    assert text.startswith("gebruik: manage.py "), text[:80]
    for english in ENGLISH_BUILTINS:
        assert english not in text, f"{english!r} in the Dutch help:\n{text}"
    plain = prose(text)
    assert not foreign_words(plain, "nl"), foreign_words(plain, "nl")
    assert not words(plain) & ENGLISH_HELP_WORDS, sorted(words(plain) & ENGLISH_HELP_WORDS)


def assert_english_help(text: str):
    assert text.startswith("usage: manage.py "), text[:80]
    for dutch in DUTCH_BUILTINS:
        assert dutch not in text, f"{dutch!r} in the English help:\n{text}"
    plain = prose(text)
    assert not foreign_words(plain, "en"), foreign_words(plain, "en")
    assert not words(plain) & DUTCH_HELP_WORDS, sorted(words(plain) & DUTCH_HELP_WORDS)


def assert_complete(command: str, text: str, language: str):
    """Every option and argument is listed with a help text of its own, and the command says what it does."""
    instance = load_command_class("portal", command)
    assert isinstance(instance, base.PortalCommand), f"{command} does not speak the portal language"
    with translation.override(language):
        description = str(instance.help)
    assert description.strip() and " ".join(description.split()) in " ".join(text.split())
    instance._language = language  # as `--language` on the command line sets it
    parser = instance.create_parser("manage.py", command)
    for action in parser._actions:
        assert action.help and action.help != argparse.SUPPRESS, f"{command}: {action.option_strings or action.dest}"
        for name in action.option_strings or [action.metavar or action.dest]:
            assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), f"{command}: {name} not in its help"


@pytest.fixture(autouse=True)
def dutch_portal():
    """The test runner's own language must not leak in: the portal language is the command's default."""
    with translation.override("en"), override_settings(LANGUAGE_CODE="nl"):
        yield


@pytest.mark.parametrize("command", COMMANDS)
def test_the_help_is_dutch_by_default_and_complete(command, capsys):
    text = help_text(capsys, command, "--help")
    assert_dutch_help(text)
    assert_complete(command, text, "nl")


@pytest.mark.parametrize("command", COMMANDS)
def test_the_help_is_english_with_language_en(command, capsys):
    for argv in ([command, "--help", "--language", "en"], [command, "--language=en", "-h"]):
        text = help_text(capsys, *argv)
        assert_english_help(text)
    assert_complete(command, text, "en")


@pytest.mark.parametrize("command", ["check_connections", "healthcheck"])
def test_the_help_follows_the_language_setting(command, capsys):
    with override_settings(LANGUAGE_CODE="en"), translation.override("nl"):
        assert_english_help(help_text(capsys, command, "--help"))


def test_manage_py_help_command_is_dutch(capsys):
    ManagementUtility(["manage.py", "help", "import_now"]).execute()
    assert_dutch_help(capsys.readouterr().out)


def test_a_wrong_argument_is_refused_in_the_portal_language(capsys):
    for argv, expected in ((["create_admin"], "manage.py create_admin: fout: deze argumenten zijn verplicht: "
                                              "GEBRUIKERSNAAM"),
                           (["create_admin", "--language", "en"], "manage.py create_admin: error: the following "
                                                                  "arguments are required: USERNAME"),
                           (["import_now", "--month"], "argument --month: verwacht één waarde"),
                           (["healthcheck", "--onbekend"], "onbekende argumenten: --onbekend")):
        with pytest.raises(SystemExit) as exit_:
            ManagementUtility(["manage.py", *argv]).execute()
        assert exit_.value.code == 2
        error = capsys.readouterr().err
        assert expected in error, error
        assert error.startswith("gebruik: " if "en" not in argv else "usage: "), error
    with pytest.raises(CommandError, match="^Fout: deze argumenten zijn verplicht: GEBRUIKERSNAAM$"):
        call_command("create_admin")


def test_argparse_is_left_as_it_was(capsys):
    before = argparse._, argparse.ngettext
    help_text(capsys, "seed_demo", "--help")
    assert (argparse._, argparse.ngettext) == before
    assert argparse.ArgumentParser(prog="x").format_usage() == "usage: x [-h]\n", "no Dutch outside our commands"


def test_language_on_the_command_line_is_read_before_the_parser_exists():
    assert base.language_in(["--deep", "--language", "en"]) == "en"
    assert base.language_in(["--language=en", "--language=nl"]) == "nl", "the last one, as argparse reads it"
    assert base.language_in(["--language", "xx"]) is None, "left to the parser, which refuses it"
    assert base.language_in(["--", "--language", "en"]) is None
    assert base.language_in(["--language"]) is None


def test_every_builtin_text_is_translated_and_still_used_by_django_and_argparse():
    """A Django or Python upgrade that rewords one of these fails here instead of showing English."""
    with (ROOT / "locale/nl/LC_MESSAGES/django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for text in (*base.ARGPARSE_TEXTS, *base.DJANGO_TEXTS, base.SETTINGS_METAVAR):
        assert text in catalog._catalog, f"no Dutch for {text!r}"
    argparse_source = inspect.getsource(argparse)
    for text in base.ARGPARSE_TEXTS:
        assert repr(text) in argparse_source or f'"{text}"' in argparse_source, f"argparse no longer says {text!r}"
    django_helps = {action.help for action in BaseCommand().create_parser("manage.py", "x")._actions
                    if action.help and "--help" not in action.option_strings}
    assert django_helps <= set(base.DJANGO_TEXTS), django_helps - set(base.DJANGO_TEXTS)
