"""The payroll sources the portal knows (as healthchecks' TRANSPORTS and netbox's data backends).

Each entry maps the key stored on administrations, runs and ledger entries to the class implementing
portal.sources.base.PayrollSource, by dotted path: a source is imported only when it is first asked
for, so this module (which the models import for their choices) imports no vendor code. Adding a
source is a folder under integrations/ and one entry here; nothing else names it.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the settings import this module: it imports nothing of the engine
    from connectors.documents import DocumentKind

SOURCES: dict[str, str] = {
    "loket": "integrations.loket.source.LoketPayrollSource",
    "nmbrs": "integrations.nmbrs.source.NmbrsPayrollSource",
    "nmbrs_rest": "integrations.nmbrs_rest.source.NmbrsRestPayrollSource",
}


# The longest key a source may have: the ledger, the runs, the assignments and the administrations store it.
SOURCE_KEY_LENGTH = 40


class UnknownSource(LookupError):
    pass


def register(key: str, dotted_path: str) -> None:
    """Add a source (tests add a test-only one this way). The key must be new."""
    if key in SOURCES:
        raise ValueError(f"a payroll source {key!r} is already registered")
    if len(key) > SOURCE_KEY_LENGTH:
        raise ValueError(f"a payroll source's key has at most {SOURCE_KEY_LENGTH} characters: {key!r}")
    SOURCES[key] = dotted_path
    _load.cache_clear()


def unregister(key: str) -> None:
    SOURCES.pop(key, None)
    _load.cache_clear()


@cache
def _load(dotted_path: str):
    module, _, name = dotted_path.rpartition(".")
    return getattr(import_module(module), name)()


def get(key: str):
    """The source registered under `key` (an Administration's `source`)."""
    try:
        return _load(SOURCES[key])
    except KeyError:
        raise UnknownSource(key) from None


def first_key() -> str:
    """A new administration's source until one is chosen: the first registered."""
    return next(iter(SOURCES))


def source_of(administration):
    return get(administration.source)


def all_sources() -> list:
    return [get(key) for key in SOURCES]


def source_choices() -> list[tuple[str, str]]:
    """The model field's and the forms' choices, in registry order."""
    return [(source.key, source.label) for source in all_sources()]


def keys_offering(kind: DocumentKind) -> list[str]:
    """The sources that can deliver `kind` (scheduled or on request)."""
    return [s.key for s in all_sources() if kind in s.document_kinds or kind in s.on_request_kinds]


def administration_relations() -> list[str]:
    """The Administration relations the sources' settings live in, for select_related."""
    return sorted({field for source in all_sources() for field in source.administration_relations})


def portal_relations() -> list[str]:
    """The PortalSettings relations the sources' settings live in, for select_related."""
    return sorted({field for source in all_sources() for field in source.portal_relations})


def source_apps() -> list[str]:
    """The Django apps of the registered sources (their templates, translations): the folder of each."""
    return [path.rsplit(".", 2)[0] for path in SOURCES.values()]


def administration_form_parts() -> list[tuple[str, object]]:
    """(key, part) of each source that adds to the administration form (portal.forms.parts), in registry order."""
    return [(source.key, source.administration_form) for source in all_sources() if source.administration_form]


def offering(kind: DocumentKind) -> list:
    """The sources that can deliver `kind` (scheduled or on request)."""
    return [get(key) for key in keys_offering(kind)]


def simulated() -> list[str]:
    """The names of the sources the sandbox simulates (PayrollSource.sandbox), for the sandbox banner."""
    return [source.name for source in all_sources() if source.sandbox]


def environment_settings(env, *, sandbox_enabled: bool) -> dict:
    """Each source's Django settings read from the environment: `from_environment(env, sandbox_enabled=...)`
    in the `settings` module of its folder (integrations/<source>/settings.py), when it has one. Called by
    payrollsync/settings/, before Django is set up: those modules import neither Django nor the source."""
    found = {}
    for app in source_apps():
        try:
            module = import_module(f"{app}.settings")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.settings":
                raise
            continue
        found.update(module.from_environment(env, sandbox_enabled=sandbox_enabled))
    return found
