"""What every portal management command shares: it speaks the portal's language and knows its version.

Output follows the portal language like the screens do: Dutch by default (settings.LANGUAGE_CODE),
English with `--language en`. `--version` prints the portal's version, not Django's.

`--help` and argument errors speak that language too, all of them: our own help texts are gettext'd in
each command, and the texts Django and argparse bring along ("usage:", "show this help message and
exit", Django's --verbosity, --settings, ... and argparse's errors) have no Dutch catalog of their own,
so they are listed below and translated in ours (locale/nl). The language is known before argparse
builds the parser: `run_from_argv` reads `--language` from the command line first.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext, ngettext_lazy

from portal.version import portal_version

# The texts of Python's argparse (3.11-3.13) that a command's help or a wrong argument can show.
ARGPARSE_TEXTS = (
    gettext_noop("usage: "),
    gettext_noop("positional arguments"),
    gettext_noop("options"),
    gettext_noop("show this help message and exit"),
    gettext_noop("%(prog)s: error: %(message)s\n"),
    gettext_noop("argument %(argument_name)s: %(message)s"),
    gettext_noop("the following arguments are required: %s"),
    gettext_noop("one of the arguments %s is required"),
    gettext_noop("unrecognized arguments: %s"),
    gettext_noop("not allowed with argument %s"),
    gettext_noop("ignored explicit argument %r"),
    gettext_noop("expected one argument"),
    gettext_noop("expected at most one argument"),
    gettext_noop("expected at least one argument"),
    gettext_noop("invalid choice: %(value)r (choose from %(choices)s)"),
    gettext_noop("invalid %(type)s value: %(value)r"),
    gettext_noop("ambiguous option: %(option)s could match %(matches)s"),
    gettext_noop("unexpected option string: %s"),
)
ARGPARSE_PLURALS = (ngettext_lazy("expected %s argument", "expected %s arguments", 2),)

# Django's help texts for the options every command has (django/core/management/base.py,
# BaseCommand.create_parser), and its refusals of those options. tests/test_command_help.py fails when a
# Django upgrade changes one, so none can fall back to English unnoticed.
DJANGO_TEXTS = (
    gettext_noop("Show program's version number and exit."),
    gettext_noop("Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output"),
    gettext_noop('The Python path to a settings module, e.g. "myproject.settings.main". If this isn\'t provided, '
                 "the DJANGO_SETTINGS_MODULE environment variable will be used."),
    gettext_noop('A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".'),
    gettext_noop("Display a full stack trace on CommandError exceptions."),
    gettext_noop("Don't colorize the command output."),
    gettext_noop("Force colorization of the command output."),
    gettext_noop("Skip system checks."),
    gettext_noop("Error: %s"),
)
# The placeholder argparse shows for Django's --settings (its own would be the English "SETTINGS").
SETTINGS_METAVAR = gettext_noop("SETTINGS")


def default_language() -> str:
    return settings.LANGUAGE_CODE


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_in(args: list[str]) -> str | None:
    """The `--language` a command line asks for (the last one, as argparse reads it), if it is one we speak.

    Read before argparse builds the parser, so that its help is in that language. A wrong value is left
    to the parser, which refuses it in the default language."""
    found = None
    for position, arg in enumerate(args):
        if arg == "--":
            break
        name, equals, value = arg.partition("=")
        if name != "--language":
            continue
        if not equals:
            value = args[position + 1] if position + 1 < len(args) else ""
        if value in language_codes():
            found = value
    return found


def _argparse_gettext(message: str) -> str:
    try:
        return gettext(message)
    except (AppRegistryNotReady, ImproperlyConfigured):  # before Django is set up: argparse's own English
        return message


def _argparse_ngettext(singular: str, plural: str, number: int) -> str:
    try:
        return ngettext(singular, plural, number)
    except (AppRegistryNotReady, ImproperlyConfigured):
        return singular if number == 1 else plural


@contextmanager
def speaking(language: str):
    """`language` active, and argparse's own texts through our catalog (argparse looks its `_` and
    `ngettext` up in its module when it needs a text, so they are swapped for as long as this lasts)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _argparse_gettext, _argparse_ngettext
    try:
        with translation.override(language):
            yield
    finally:
        argparse._, argparse.ngettext = saved


class PortalParser(CommandParser):
    """Django's CommandParser, speaking `language` whenever it writes something: help, usage, errors."""

    language: str

    def parse_args(self, args=None, namespace=None):  # its "unrecognized arguments" comes after parse_known_args
        with speaking(self.language):
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with speaking(self.language):
            return super().parse_known_args(args, namespace)

    def format_usage(self):
        with speaking(self.language):
            return super().format_usage()

    def format_help(self):
        with speaking(self.language):
            return super().format_help()

    def error(self, message):
        with speaking(self.language):
            if self.called_from_command_line:
                super().error(message)
            raise CommandError(gettext("Error: %s") % message)


class PortalCommand(BaseCommand):
    _language: str | None = None  # what the command line asked for (run_from_argv)

    def run_from_argv(self, argv):
        self._language = language_in(argv[2:])
        return super().run_from_argv(argv)

    def create_parser(self, prog_name, subcommand, **kwargs):
        language = self._language or default_language()
        with speaking(language):
            parser = super().create_parser(prog_name, subcommand, **kwargs)
            parser.description = str(self.help) if self.help else None
            for action in parser._actions:
                # Django's options: their help is in our catalog (DJANGO_TEXTS); ours is gettext'd already.
                if isinstance(action.help, str) and action.help != argparse.SUPPRESS:
                    action.help = gettext(action.help)
                if "--settings" in action.option_strings:
                    action.metavar = gettext(SETTINGS_METAVAR)
            codes = language_codes()
            parser.add_argument("--language", choices=codes, default=None,
                                help=gettext("Language of the output and of this help: %(codes)s (default: "
                                             "%(default)s).") % {"codes": ", ".join(codes),
                                                                 "default": default_language()})
        # Django builds a CommandParser; ours only adds the language to what it writes (no state of its own).
        parser.__class__ = PortalParser
        parser.language = language
        return parser

    def get_version(self):
        return f"payrollsync {portal_version()}"

    def execute(self, *args, **options):
        with translation.override(options.get("language") or self._language or default_language()):
            if options.get("force_color") and options.get("no_color"):  # Django's own refusal is English only
                raise CommandError(gettext("The --no-color and --force-color options can't be used together."))
            return super().execute(*args, **options)
