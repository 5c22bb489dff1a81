from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.sources.registry import SOURCE_KEY_LENGTH


class RunTrigger(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    MANUAL = "manual", _("Manual")
    RETRY = "retry", _("Retry of failed documents")
    BACKFILL = "backfill", _("Earlier month")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    # Nothing failed, but documents wait for tomorrow's Yuki call budget: no alarm, yet not "done" either.
    WAITING_BUDGET = "waiting_budget", _("Waiting for budget")
    PARTLY_FAILED = "partly_failed", _("Partly failed")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class RunCategory(models.TextChoices):
    PAYROLL = "payroll", _("Payroll documents")
    ANNUAL = "annual", _("Annual documents")
    PETTY_CASH = "petty_cash", _("Petty cash")


class ImportRun(models.Model):
    """One import of one administration: the run log's row (like Yoobi's Yuki log: docs/vendors/yuki.md, "What users expect of an integration")."""

    administration = models.ForeignKey("portal.Administration", on_delete=models.CASCADE, related_name="runs")
    category = models.CharField(max_length=20, choices=RunCategory.choices, default=RunCategory.PAYROLL)
    source = models.CharField(max_length=SOURCE_KEY_LENGTH)
    trigger = models.CharField(max_length=20, choices=RunTrigger.choices)
    # A scheduled run's slot ("<source>:2026-11-22", "<source>:2026-11-22T07": PayrollSource.slot): unique per administration,
    # so a slot is enqueued once however often (or by how many beats) the schedule is evaluated.
    slot = models.CharField(max_length=SOURCE_KEY_LENGTH + 24, blank=True)
    periods = models.JSONField(default=list)  # ["2026-10", "2026-11"], for display and filters
    # What to fetch: {"payslip": [[2026, 11]], "wage_tax_return": [[2026, 10], [2026, 11]]}
    plan = models.JSONField(default=dict)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True)
    result = models.TextField(blank=True)  # in words, for the bookkeeper
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Set once the fetch is done and the pushes are handed out: only then can the run be finished.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    fetched = models.PositiveIntegerField(default=0)
    booked = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    # Documents the source showed that are not bookable yet (portal.imports.waiting): how many, and
    # grouped as [{"kind", "reason", "status", "n"}] for the run page's lines.
    waiting_at_source = models.PositiveIntegerField(default=0)
    source_waiting = models.JSONField(default=list, blank=True)
    yuki_calls = models.PositiveIntegerField(default=0)
    # Documents of this run still to settle (new, being pushed, awaiting the automatic check): set at
    # dispatch, counted down by each push's settle (portal.imports.leases.settle). When it reaches zero
    # the run counts its documents for real and finishes (portal.imports.finishing.finish_if_done); never
    # trusted to finish a run on its own, so a miscount can only delay a finish until the sweep.
    outstanding = models.IntegerField(default=0)
    dry_run_preview = models.JSONField(default=list, blank=True)
    # What the source could not deliver (one kind failing does not stop the others), in words.
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import run")
        # An administration's latest runs (the dashboard's last run, the administration page's recent
        # runs): read from the index, without sorting all its runs.
        indexes = [models.Index("administration", models.F("created_at").desc(), models.F("id").desc(),
                                name="run_latest_per_administration")]
        constraints = [
            models.UniqueConstraint(fields=["administration", "slot"], condition=~models.Q(slot=""),
                                    name="one_run_per_schedule_slot"),
            # Two runs of one administration at once would race on the same documents (one booking
            # content the other already corrected): a second run waits until the first is done.
            models.UniqueConstraint(fields=["administration"], condition=models.Q(status="running", dry_run=False),
                                    name="one_running_import_per_administration"),
        ]

    def __str__(self):
        when = self.slot or (f"{self.created_at:%Y-%m-%d %H:%M}" if self.created_at else "new")
        return f"run {self.pk} of administration {self.administration_id}: {self.trigger} {when} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status not in (RunStatus.QUEUED, RunStatus.RUNNING)
