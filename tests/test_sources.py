"""The registry of payroll sources and the protocol each registered source keeps."""

import inspect

import pytest

from portal.sources import registry
from portal.sources.base import PayrollSource


def protocol_members() -> set[str]:
    attributes = set(PayrollSource.__annotations__)
    methods = {name for name, value in vars(PayrollSource).items()
               if inspect.isfunction(value) and not name.startswith("_")}
    return attributes | methods


@pytest.mark.parametrize("key", list(registry.SOURCES))
def test_every_registered_source_keeps_the_whole_protocol(key):
    source = registry.get(key)
    assert isinstance(source, PayrollSource)
    missing = {name for name in protocol_members() if not hasattr(source, name)}
    assert missing == set()
    assert source.key == key, "the registry key is what administrations, runs and ledger entries store"
    assert set(source.document_kinds).isdisjoint(source.on_request_kinds)


def test_the_choices_come_from_the_registry_in_its_order():
    assert [key for key, _label in registry.source_choices()] == list(registry.SOURCES)


def test_a_key_is_registered_once_and_an_unknown_one_is_refused():
    first = next(iter(registry.SOURCES))
    with pytest.raises(ValueError, match="already registered"):
        registry.register(first, "anything.Else")
    with pytest.raises(registry.UnknownSource):
        registry.get("no-such-source")


def test_the_administrations_source_field_offers_the_registry(db):
    from portal.models import Administration

    field = Administration._meta.get_field("source")
    assert [key for key, _label in field.choices] == list(registry.SOURCES)
