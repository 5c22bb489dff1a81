"""Model instances from a raw SQL row, built the way the ORM builds them.

For a statement the ORM cannot write but whose row should still become models (the push's claim,
portal.imports.ledger, returns its entry with the administration and domain from one UPDATE ...
RETURNING): ModelColumns names the columns to select, and instances() turns them into models with each
field's database converters (decryption of portal.fields.EncryptedTextField, JSON, datetimes, bytes)
and Model.from_db, so they equal what a queryset would have loaded. Generic over the model's concrete
fields: a field added later is selected and converted without edits here or at the caller.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from functools import cached_property

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Col


class ModelColumns:
    """One model's concrete columns as they appear in a raw SELECT under `alias` (a table or CTE name)."""

    def __init__(self, model: type[models.Model], alias: str | None = None):
        self.model = model
        self.alias = alias or model._meta.db_table
        self.fields = tuple(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self._per_thread = threading.local()
        self._select: dict[str, str] = {}

    @cached_property
    def cols(self) -> tuple[Col, ...]:
        # As a queryset's compiler sees them: a foreign key's column has its target's converters too.
        # (Built on first use: a foreign key's target is known only once all models are loaded.)
        return tuple(field.get_col(self.alias) for field in self.fields)

    def select(self, connection: BaseDatabaseWrapper) -> str:
        """The columns for a SELECT list, in the order instances() expects them (written once per database
        vendor: a push asks for them every time)."""
        text = self._select.get(connection.vendor)
        if text is None:
            alias = connection.ops.quote_name(self.alias)
            text = ", ".join(f"{alias}.{connection.ops.quote_name(field.column)}" for field in self.fields)
            self._select[connection.vendor] = text
        return text

    def instance(self, values: Sequence, connection: BaseDatabaseWrapper) -> models.Model:
        values = list(values)
        for index, col, converters in self._converters(connection):
            for convert in converters:
                values[index] = convert(values[index], col, connection)
        return self.model.from_db(connection.alias, self.attnames, values)

    def _converters(self, connection: BaseDatabaseWrapper) -> list[tuple[int, Col, list]]:
        """The columns that have converters, with them: found once per thread's connection, not per row
        (finding them cost most of building an instance). Kept per thread: they go with its connection."""
        wrapper = connections[connection.alias]  # the thread's own (django.db.connection is a proxy to it)
        held = getattr(self._per_thread, connection.alias, None)
        if held is None or held[0] is not wrapper:
            held = (wrapper, self._find_converters(connection))
            setattr(self._per_thread, connection.alias, held)
        return held[1]

    def _find_converters(self, connection: BaseDatabaseWrapper) -> list[tuple[int, Col, list]]:
        found = []
        for index, col in enumerate(self.cols):  # as a queryset's compiler finds them (get_converters)
            if converters := connection.ops.get_db_converters(col) + col.get_db_converters(connection):
                found.append((index, col, converters))
        return found


def instances(
    row: Sequence, connection: BaseDatabaseWrapper, *shapes: ModelColumns
) -> Iterator[models.Model]:
    """One instance per shape, from consecutive slices of `row` (selected as the shapes' select() in order)."""
    start = 0
    for shape in shapes:
        yield shape.instance(row[start : start + len(shape.fields)], connection)
        start += len(shape.fields)
