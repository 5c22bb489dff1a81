from django.db import models
from django.utils.translation import gettext_lazy as _

from connectors import kinds
from portal.sources.registry import SOURCE_KEY_LENGTH


class EntryState(models.TextChoices):
    NEW = "new", _("To be booked")
    PUSHING = "pushing", _("Being booked")
    BOOKED = "booked", _("Booked")
    FAILED = "failed", _("Failed")
    # The outcome of a Yuki call is unknown (timeout, crash after sending): never retried blindly.
    NEEDS_CHECK = "needs_check", _("Needs a check")
    WAITING_BUDGET = "waiting_budget", _("Waiting for Yuki budget")
    # A journal using an account the Yuki administration lacks: not sent; it goes along with every next
    # import (like waiting_budget) and is booked once the mapping or Yuki's chart has the account.
    WAITING_ACCOUNTS = "waiting_accounts", _("Waiting for ledger accounts in Yuki")
    # Shown by the source but not bookable yet (status not final, unknown, unreadable, not selected):
    # booked by a later import once the source delivers it (portal.imports.waiting).
    WAITING_AT_SOURCE = "waiting_at_source", _("Waiting at the payroll source")


# The built-in kinds (connectors/kinds.py) as the field's choices, as the migrations have them; a kind
# registered besides them is stored the same way and named by LedgerEntry.kind_label.
KIND_CHOICES = [(str(kind.key), kind.label) for kind in kinds.BUILT_IN]


class LedgerEntry(models.Model):
    """Each source document once: the guarantee that nothing is lost and nothing is booked twice.

    The state `pushing` is committed before the Yuki call, under a lease; see portal.imports.ledger.
    """

    administration = models.ForeignKey("portal.Administration", on_delete=models.CASCADE,
                                       related_name="ledger_entries")
    source = models.CharField(max_length=SOURCE_KEY_LENGTH)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    source_id = models.CharField(max_length=200)
    period = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64)  # of the latest version fetched
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=20, choices=EntryState.choices, default=EntryState.NEW, db_index=True)
    # What to book, kept until it is booked so a retry never needs the source again.
    content = models.BinaryField(null=True, blank=True)
    journal_lines = models.JSONField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    # What content_hash was computed from (connectors.fingerprints: a PDF's text, a SEPA file's payments, a
    # wage tax return's declared values; for a file that could not be read, {"scheme": "bytes", "reason": ...}).
    fingerprint = models.JSONField(null=True, blank=True)
    # What this version changed against the version booked before it (connectors.fingerprints.Difference).
    changes = models.JSONField(null=True, blank=True)
    # Recorded before fingerprints of meaning and its file no longer kept: the next fetch's fingerprint is
    # taken as the baseline, nothing is booked for it (docs/vendors/generated-files.md).
    fingerprint_outdated = models.BooleanField(default=False)
    # The source delivered this booked document again, different, and it could not be compared by meaning:
    # not booked again on its own; the document's page tells a person to look.
    unreadable_change_at = models.DateTimeField(null=True, blank=True)
    # What was booked last (hash and lines): a correction reverses these lines.
    booked_hash = models.CharField(max_length=64, blank=True)
    booked_journal_lines = models.JSONField(null=True, blank=True)
    # The journal lines (after the mapping) of a send whose outcome is unknown: what the check looks for in
    # Yuki and what counts as booked if it is there, whatever the mapping has become since.
    sent_journal_lines = models.JSONField(null=True, blank=True)
    yuki_reference = models.CharField(max_length=100, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    attempted_at = models.DateTimeField(null=True, blank=True)  # the last claim: when a call may have left
    lease_token = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # A newer version that arrived while this one was being pushed or checked: it is taken up as soon
    # as that attempt is settled (booked -> booked again as the next version), never dropped.
    pending_hash = models.CharField(max_length=64, blank=True)
    pending = models.JSONField(null=True, blank=True)  # title, file_name, journal_lines, metadata
    pending_content = models.BinaryField(null=True, blank=True)
    check_attempts = models.PositiveIntegerField(default=0)
    # needs_check: False while the automatic check (reconciliation) is still to run; True once it is
    # up to a person (a journal, or Yuki could not be searched), as listed on the "To check" page.
    check_by_person = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    # waiting_at_source: why (connectors.documents.WaitReason) and the vendor's own status text.
    wait_reason = models.CharField(max_length=20, blank=True)
    source_status = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)
    last_run = models.ForeignKey("portal.ImportRun", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "kind", "title"]
        verbose_name = _("ledger entry")
        constraints = [
            models.UniqueConstraint(fields=["administration", "source", "kind", "source_id", "period"],
                                    name="one_ledger_entry_per_source_document"),
        ]
        indexes = [
            models.Index(fields=["state", "lease_expires_at"]),
            # The "To check" page's two lists (portal/views/documents.py needs_check): with the domains by
            # name (Domain's index) PostgreSQL walks domains and their administrations in the page's order
            # and reads only the waiting documents of the first few, instead of all of them for every page.
            # Migration 0030 adds statistics on (state, check_by_person) so it knows how many wait.
            models.Index(fields=["check_by_person", "administration"], condition=models.Q(state="needs_check"),
                         name="ledger_waiting_for_check"),
        ]

    def __str__(self):
        return f"{self.title} ({self.period}, v{self.version}): {self.state}"

    @property
    def kind_label(self) -> str:
        """The kind's name in the reader's language (connectors/kinds.py)."""
        return kinds.label_of(self.kind)

    def check_note(self) -> str:
        """For a document whose booking is uncertain: who checks it and when. The run page, the document
        page and "To check" all show this one text, so they never disagree."""
        if self.state != EntryState.NEEDS_CHECK:
            return ""
        if self.check_by_person:
            return str(_("Waiting for your answer: check in Yuki, then answer on this document's page."))
        from datetime import timedelta

        from django.conf import settings
        from django.utils import formats, timezone

        since = self.attempted_at or self.updated_at or timezone.now()
        when = timezone.localtime(since + timedelta(seconds=settings.IMPORT_RECONCILE_DELAY_SECONDS))
        # A list may annotate is_journal instead of loading the journal lines (views.documents.needs_check).
        is_journal = self.is_journal if hasattr(self, "is_journal") else self.journal_lines is not None
        if is_journal:
            return _("Checked automatically in Yuki's bookings at %(when)s (and again later if Yuki cannot be "
                     "reached); nothing to do for you yet.") % {
                "when": formats.date_format(when, "SHORT_DATETIME_FORMAT")}
        return _("Checked automatically in Yuki's archive at %(when)s (and every two minutes after that if Yuki "
                 "cannot be reached); nothing to do for you yet.") % {
            "when": formats.date_format(when, "SHORT_DATETIME_FORMAT")}


class EventKind(models.TextChoices):
    FETCHED = "fetched", _("Fetched")
    UNCHANGED = "unchanged", _("Unchanged, already booked")
    CORRECTION = "correction", _("Changed at the source: booked again as a new version")
    CLAIMED = "claimed", _("Sent to Yuki")
    BOOKED = "booked", _("Booked")
    FAILED = "failed", _("Failed")
    NEEDS_CHECK = "needs_check", _("Outcome unknown: needs a check")
    RECONCILED = "reconciled", _("Checked in Yuki")
    WAITING_BUDGET = "waiting_budget", _("Waiting for Yuki budget")
    WAITING_AT_SOURCE = "waiting_at_source", _("Waiting at the payroll source")
    WAITING_ACCOUNTS = "waiting_accounts", _("Waiting for ledger accounts in Yuki")
    REQUEUED = "requeued", _("Released after an interrupted attempt")
    DRY_RUN = "dry_run", _("Dry run: would be booked")


class LedgerEvent(models.Model):
    """The history of every attempt on a document (docs/vendors/yuki.md, "What users expect of an integration")."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="events")
    run = models.ForeignKey("portal.ImportRun", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    version = models.PositiveIntegerField(default=1)
    message = models.TextField(blank=True)
    yuki_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.message[:60]}"
