"""Ledger entries get fingerprints of meaning (connectors/fingerprints.py) without anything being booked again.

- A file the ledger still keeps (not booked yet, or its newer version parked) gets its fingerprint from it.
- A booked file is no longer kept (the push drops it): its fingerprint cannot be computed here, so the entry is
  marked `fingerprint_outdated` and the next fetch's fingerprint becomes its baseline, without booking
  (portal.imports.ledger._adopt_fingerprint). A correction made at the source between the last booking and
  that fetch is therefore not seen; re-booking every document instead would book each one twice.
- Journals keep theirs: their fingerprint is the same hash of their lines.
"""

from django.db import migrations, models

from connectors import kinds

BATCH = 500


def fingerprint_entries(apps, schema_editor):
    LedgerEntry = apps.get_model("portal", "LedgerEntry")
    files = LedgerEntry.objects.filter(journal_lines__isnull=True).exclude(content_hash="").order_by("pk")
    changed = []
    for entry in files.only("pk", "kind", "state", "content", "content_hash", "booked_hash", "pending_hash",
                            "pending", "pending_content").iterator(chunk_size=BATCH):
        if entry.content is not None:
            fingerprint = kinds.file_fingerprint(entry.kind, bytes(entry.content))
            if entry.booked_hash == entry.content_hash:
                entry.booked_hash = fingerprint.digest
            entry.content_hash, entry.fingerprint = fingerprint.digest, fingerprint.facts
        else:
            entry.fingerprint_outdated = True
        if entry.pending_hash and entry.pending_content is not None:
            parked = kinds.file_fingerprint(entry.kind, bytes(entry.pending_content))
            entry.pending_hash = parked.digest
            entry.pending = {**(entry.pending or {}), "fingerprint": parked.facts}
        changed.append(entry)
        if len(changed) >= BATCH:
            _save(LedgerEntry, changed)
    _save(LedgerEntry, changed)


def _save(LedgerEntry, entries):
    LedgerEntry.objects.bulk_update(entries, ["content_hash", "booked_hash", "fingerprint", "fingerprint_outdated",
                                              "pending_hash", "pending"])
    entries.clear()


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0023_login_failures'),
    ]

    operations = [
        migrations.AddField(
            model_name='ledgerentry',
            name='fingerprint',
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='changes',
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='fingerprint_outdated',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='unreadable_change_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        # Going back leaves the new digests in place: nothing is booked again either way.
        migrations.RunPython(fingerprint_entries, migrations.RunPython.noop),
    ]
