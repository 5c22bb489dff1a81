"""Recording settings changes in the audit log, with secret values masked."""

from __future__ import annotations

from django.db import models

from portal.fields import EncryptedTextField
from portal.models import AuditLogEntry
from portal.models.audit import AuditAction

SECRET_SET = "•••• (set)"
SECRET_CLEARED = "(cleared)"


def snapshot(instance: models.Model) -> dict:
    return {f.name: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _display(field: models.Field, value):
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return value if isinstance(value, (bool, int, float)) else str(value)


def diff(instance: models.Model, before: dict | None) -> dict:
    changes = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in ("created_at", "updated_at"):
            continue
        old = (before or {}).get(field.name)
        new = getattr(instance, field.attname)
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", False):
            continue
        label = str(field.verbose_name)
        if isinstance(field, EncryptedTextField):
            changes[label] = {"old": SECRET_SET if old else "", "new": SECRET_SET if new else SECRET_CLEARED}
        else:
            changes[label] = {"old": _display(field, old), "new": _display(field, new)}
    return changes


def record(user, action: str, instance: models.Model, changes: dict | None = None, label: str = "") -> None:
    if action == AuditAction.CHANGED and not changes:
        return
    AuditLogEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "system",
        action=action,
        object_type=str(instance._meta.verbose_name),
        object_id=str(instance.pk or ""),
        object_repr=(label or str(instance))[:300],
        changes=changes or {},
    )


def save_audited(user, instance: models.Model, before: dict | None, label: str = "") -> None:
    """Save `instance` and log what changed since `before` (None: it is new)."""
    instance.save()
    action = AuditAction.CREATED if before is None else AuditAction.CHANGED
    record(user, action, instance, diff(instance, before), label=label)
