"""A wrong setting stops the start with a sentence in the portal's language, before Django is set up.

The settings (payrollsync/settings/, integrations/<source>/settings.py) are read before Django can
translate anything: its translations need the very settings being read. So a refusal's sentence is an
English msgid marked with gettext_noop (it sits in locale/<language>/LC_MESSAGES/django.po beside every
other text, and the Dutch catalogue's checks read it too), looked up here in the compiled catalogue with
Python's own gettext module. The language: a command's `--language`, else PORTAL_LANGUAGE (`make run
PORTAL_LANGUAGE=en` hands it to every command it runs), else Dutch, the portal's default (LANGUAGE_CODE).

manage.py prints the sentence alone, without a traceback: "Het portaal start niet: ...".
"""

from __future__ import annotations

import gettext
import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured


def gettext_noop(text: str) -> str:
    """Marks a msgid for makemessages, as Django's does (which reads settings.USE_I18N: not here)."""
    return text


LOCALE = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LANGUAGE = "nl"  # settings.LANGUAGE_CODE
LANGUAGES = ("nl", "en")  # settings.LANGUAGES

STARTS_NOT = gettext_noop("The portal does not start: %(reason)s")


def startup_language(argv: list[str] | None = None, environment=None) -> str:
    """The language of a refusal: the command line's last `--language`, PORTAL_LANGUAGE, or Dutch."""
    argv = sys.argv if argv is None else argv
    environment = os.environ if environment is None else environment
    asked = None
    for index, argument in enumerate(argv):
        if argument == "--language" and index + 1 < len(argv):
            asked = argv[index + 1]
        elif argument.startswith("--language="):
            asked = argument.partition("=")[2]
    for language in (asked, environment.get("PORTAL_LANGUAGE")):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def translated(text: str, language: str | None = None) -> str:
    catalogue = gettext.translation("django", localedir=LOCALE, languages=[language or startup_language()],
                                    fallback=True)
    return catalogue.gettext(text)


class SettingRefused(ImproperlyConfigured):
    """A setting the person must correct; its text is one sentence in the start-up language."""

    def __init__(self, text: str, **params):
        super().__init__(translated(text) % params)


class Environment(environ.Env):
    """django-environ, refusing a value it cannot read with a sentence (it raised ValueError, a traceback)."""

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except ValueError:
            value = self.ENVIRON.get(var, "")
            if cast is int:
                raise SettingRefused(gettext_noop("%(name)s must be a whole number, not “%(value)s”."),
                                     name=var, value=value) from None
            if cast is float:
                raise SettingRefused(gettext_noop("%(name)s must be a number, not “%(value)s”."),
                                     name=var, value=value) from None
            raise SettingRefused(UNREADABLE, name=var) from None

    # Addresses may hold a password: the refusal names the variable, never its value.
    def db_url(self, var=environ.Env.DEFAULT_DATABASE_ENV, default=environ.Env.NOTSET, engine=None):
        return _readable(var, lambda: super(Environment, self).db_url(var, default=default, engine=engine))

    def cache_url(self, var=environ.Env.DEFAULT_CACHE_ENV, default=environ.Env.NOTSET, backend=None):
        return _readable(var, lambda: super(Environment, self).cache_url(var, default=default, backend=backend))

    def email_url(self, var=environ.Env.DEFAULT_EMAIL_ENV, default=environ.Env.NOTSET, backend=None):
        return _readable(var, lambda: super(Environment, self).email_url(var, default=default, backend=backend))

    db, cache, email = db_url, cache_url, email_url


UNREADABLE = gettext_noop("%(name)s cannot be read: the table of variables in the README shows its form.")


def _readable(name: str, read):
    try:
        return read()
    except (ValueError, ImproperlyConfigured) as exc:
        if isinstance(exc, SettingRefused):
            raise
        raise SettingRefused(UNREADABLE, name=name) from None
