"""Recording settings changes in the audit log, with secret values masked.

An entry is read later, by anyone, in their own language. So it stores the texts that need words in
their source form (English gettext msgids: field labels, choice labels, the secret markers, with
`"translate": true` on such values) and the values as values (yes/no as booleans, dates as ISO,
a related object by its name, never its database ID). The audit page translates and formats them
(portal.templatetags.portal_format.audit_value).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_noop

from portal.fields import EncryptedTextField
from portal.models import AuditLogEntry
from portal.models.audit import AuditAction

SECRET_SET = gettext_noop("•••• (set)")
SECRET_CLEARED = gettext_noop("(cleared)")


def snapshot(instance: models.Model) -> dict:
    return {f.name: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _source(text) -> str:
    """A (lazy) translatable text in its source language: the msgid the reader's language translates."""
    with translation.override("en"):
        return str(text)


def _display(field: models.Field, value) -> dict:
    """{"value": ..., "translate": bool} for one side of a change."""
    if value is None or value == "":
        return {"value": ""}
    if field.choices:
        label = dict(field.flatchoices).get(value)
        return {"value": _source(label), "translate": True} if label is not None else {"value": str(value)}
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return {"value": str(related) if related is not None else str(value)}
    if isinstance(value, (date, datetime)):
        return {"value": value.isoformat()}
    return {"value": value if isinstance(value, (bool, int, float)) else str(value)}


def _is_sub_settings(field: models.Field) -> bool:
    """A link to an administration's own settings rows (import settings, a source's connection or
    credentials: the `own_...` one-to-one fields): those are logged as entries of their own (with their
    fields), and the switch that uses them is logged here."""
    return field.one_to_one and field.name.startswith("own_")


def change(old: dict, new: dict) -> dict:
    entry = {"old": old["value"], "new": new["value"]}
    if old.get("translate") or new.get("translate"):
        entry["translate"] = True
    return entry


def diff(instance: models.Model, before: dict | None) -> dict:
    changes = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in ("created_at", "updated_at") or _is_sub_settings(field):
            continue
        old = (before or {}).get(field.name)
        new = getattr(instance, field.attname)
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", False):
            continue
        label = _source(field.verbose_name)
        if isinstance(field, EncryptedTextField):
            changes[label] = {"old": SECRET_SET if old else "", "new": SECRET_SET if new else SECRET_CLEARED,
                              "translate": True}
        else:
            changes[label] = change(_display(field, old), _display(field, new))
    return changes


def record(user, action: str, instance: models.Model, changes: dict | None = None, label: str = "") -> None:
    if action == AuditAction.CHANGED and not changes:
        return
    AuditLogEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "system",
        action=action,
        object_type=_source(instance._meta.verbose_name),
        object_id=str(instance.pk or ""),
        object_repr=(label or str(instance))[:300],
        changes=changes or {},
    )


def save_audited(user, instance: models.Model, before: dict | None, label: str = "",
                 parts: Iterable[models.Model] = ()) -> None:
    """Save `instance` and log what changed since `before` (None: it is new).

    `parts`: rows of a source's own models that belong to `instance` (an administration's link, the options
    of import settings), saved after it. Their changed fields go into the same entry: the log reads as one
    change of the administration or the import settings, as when those fields were its columns."""
    instance.save()
    changes = {**diff(instance, before), **_save_parts(parts, new=before is None)}
    record(user, AuditAction.CREATED if before is None else AuditAction.CHANGED, instance, changes, label=label)


def save_parts_audited(user, owner: models.Model, parts: Iterable[models.Model], label: str = "") -> None:
    """Save rows that belong to `owner` (see save_audited) and log their changes as a change of `owner`."""
    record(user, AuditAction.CHANGED, owner, _save_parts(parts, new=False), label=label)


def _save_parts(parts: Iterable[models.Model], *, new: bool) -> dict:
    """Save each part; what changed since its stored row (all it holds when its owner is new)."""
    changes = {}
    for part in parts:
        stored = None if new or part.pk is None else type(part)._default_manager.filter(pk=part.pk).first()
        before = snapshot(stored) if stored is not None else None
        part.save()
        changes.update(diff(part, before))
    return changes
